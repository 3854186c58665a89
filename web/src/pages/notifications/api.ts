// Notification endpoints: my subscriptions and quiet hours; for admins webhook endpoints and dead letters.
import { api, ApiError, unwrap, type Schemas } from "../../api/client";

export type Subscription = Schemas["SubscriptionOut"];
export type SubscriptionIn = Schemas["SubscriptionIn"];
export type SubscriptionPatch = Schemas["SubscriptionPatch"];
export type QuietHours = Schemas["QuietHoursOut"];
export type QuietHoursIn = Schemas["QuietHoursIn"];
export type Webhook = Schemas["WebhookOut"];
export type WebhookIn = Schemas["WebhookIn"];
export type WebhookPatch = Schemas["WebhookPatch"];
export type WebhookWithSecret = Schemas["WebhookWithSecret"];
export type Delivery = Schemas["DeliveryOut"];
export type Severity = SubscriptionIn["min_severity"];
export type EventKind = NonNullable<SubscriptionIn["event_kinds"]>[number];

export const SEVERITIES: { value: Severity; label: string }[] = [
  { value: "warning", label: "Warning and above (everything)" },
  { value: "minor", label: "Minor and above" },
  { value: "major", label: "Major and above" },
  { value: "critical", label: "Critical only" },
];

export const EVENT_KINDS: { value: EventKind; label: string }[] = [
  { value: "opened", label: "Opened" },
  { value: "escalated", label: "Escalated" },
  { value: "cleared", label: "Cleared" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "resolved", label: "Resolved" },
  { value: "assigned", label: "Assigned" },
  { value: "commented", label: "Commented" },
  { value: "updated", label: "Updated" },
];

export const DEFAULT_KINDS: EventKind[] = ["opened", "escalated", "cleared"];

export async function listSubscriptions(): Promise<Subscription[]> {
  return (await unwrap(api.GET("/api/v1/notifications/subscriptions"))).items;
}
export const createSubscription = (body: SubscriptionIn) => unwrap(api.POST("/api/v1/notifications/subscriptions", { body }));
export const patchSubscription = (id: string, body: SubscriptionPatch) =>
  unwrap(api.PATCH("/api/v1/notifications/subscriptions/{subscription_id}", { params: { path: { subscription_id: id } }, body }));
export const deleteSubscription = (id: string) =>
  unwrap(api.DELETE("/api/v1/notifications/subscriptions/{subscription_id}", { params: { path: { subscription_id: id } } }));

/** My quiet hours, or null when none are set (the API answers 404). */
export async function getQuietHours(): Promise<QuietHours | null> {
  try {
    return await unwrap(api.GET("/api/v1/notifications/quiet-hours"));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
export const putQuietHours = (body: QuietHoursIn) => unwrap(api.PUT("/api/v1/notifications/quiet-hours", { body }));
export const deleteQuietHours = () => unwrap(api.DELETE("/api/v1/notifications/quiet-hours"));

export async function listWebhooks(): Promise<Webhook[]> {
  return (await unwrap(api.GET("/api/v1/notifications/webhooks"))).items;
}
export const createWebhook = (body: WebhookIn) => unwrap(api.POST("/api/v1/notifications/webhooks", { body }));
export const patchWebhook = (id: string, body: WebhookPatch) =>
  unwrap(api.PATCH("/api/v1/notifications/webhooks/{endpoint_id}", { params: { path: { endpoint_id: id } }, body }));
export const deleteWebhook = (id: string) =>
  unwrap(api.DELETE("/api/v1/notifications/webhooks/{endpoint_id}", { params: { path: { endpoint_id: id } } }));
export const testWebhook = (id: string) =>
  unwrap(api.POST("/api/v1/notifications/webhooks/{endpoint_id}/test", { params: { path: { endpoint_id: id } } }));

export async function listDeadLetters(): Promise<Delivery[]> {
  return (await unwrap(api.GET("/api/v1/notifications/dead-letters", { params: { query: { limit: 100 } } }))).items;
}
export const retryDelivery = (id: string) =>
  unwrap(api.POST("/api/v1/notifications/deliveries/{delivery_id}/retry", { params: { path: { delivery_id: id } } }));

/** Drop the secret from a webhook answer: lists never hold it. */
export function withoutSecret(w: WebhookWithSecret): Webhook {
  const { secret: _secret, ...rest } = w;
  void _secret;
  return rest;
}
