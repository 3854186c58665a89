import { ApiError } from "../../api/client";

/** A readable message for any error thrown by the API helpers (ApiError carries the problem's detail). */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return "Something went wrong";
}
