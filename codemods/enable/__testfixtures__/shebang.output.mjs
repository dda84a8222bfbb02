#!/usr/bin/env node
import '@governor/sdk/register';
import { run } from './cli.mjs';

await run(process.argv);
