#!/usr/bin/env node
// Runs the bundled CLI (npm run build writes dist/).
import { main } from "../dist/cli.js";
await main();
