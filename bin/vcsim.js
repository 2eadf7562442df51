#!/usr/bin/env node
// The vcsim command: a thin shim over the compiled CLI (built by `npm ci` via the prepare script).
import { main } from '../dist/cli/main.js';
main(process.argv.slice(2));
