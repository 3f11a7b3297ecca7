// Where an auth mode is chosen: one line per mode. A new mode is one new file in this folder,
// one line here, and its name in AUTH_MODES (config/schema.ts), which --auth accepts.

import type { AuthModeName } from "../config/schema.ts";
import { kubeconfigMode } from "./kubeconfig.ts";
import type { ModeFactory } from "./mode.ts";
import { passthroughMode } from "./passthrough.ts";

export const MODES: Record<AuthModeName, ModeFactory> = {
  kubeconfig: kubeconfigMode,
  passthrough: passthroughMode,
};
