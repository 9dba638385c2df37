// Build-time stand-in for cli-highlight (all of highlight.js, ~1 MB and ~150 ms to load). marked-terminal
// catches the error and prints code blocks in its plain code colour instead.
export function highlight(): string {
  throw new Error('syntax highlighting is not bundled');
}