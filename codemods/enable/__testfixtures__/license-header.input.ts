/**
 * Copyright (c) 2026 Example Corp.
 * SPDX-License-Identifier: MIT
 */

/** Starts the support agent. */
import { start } from "./start.js";

start();
