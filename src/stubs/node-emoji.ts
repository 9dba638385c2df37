// Build-time stand-in for node-emoji: the guide never uses :emoji: codes, and emojilib is ~200 KB.
export function get(): undefined {
  return undefined;
}
