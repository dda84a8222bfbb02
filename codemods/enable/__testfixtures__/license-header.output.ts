/**
 * Copyright (c) 2026 Example Corp.
 * SPDX-License-Identifier: MIT
 */
import "@governor/sdk/register";

/** Starts the support agent. */
import { start } from "./start.js";

start();
