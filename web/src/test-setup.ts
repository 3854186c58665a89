import "@testing-library/jest-dom/vitest";
import { configure } from "@testing-library/react";

// CI shares 2 cores between Vitest workers: give async queries (findBy*, waitFor) room before failing.
configure({ asyncUtilTimeout: 5000 });
