#!/usr/bin/env node
// The published entry point: everything else lives in the bundled dist/ output.
import '../dist/main.js';
