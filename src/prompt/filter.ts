/** The filtering behind the type-to-filter pick list, as plain functions. */

/**
 * Indices of the choices that match what is typed: every word typed (any case) appears somewhere in the
 * choice's text. An empty filter matches all.
 */
export function filterChoices(choices: ReadonlyArray<{ name: string; filterText?: string }>, filter: string): number[] {
  const words = filter.toLowerCase().split(/\s+/).filter((word) => word !== '');
  return choices.flatMap((choice, i) => {
    const text = (choice.filterText ?? choice.name).toLowerCase();
    return words.every((word) => text.includes(word)) ? [i] : [];
  });
}

/** " • 2 picked (1 hidden by the filter)" under the list; nothing while nothing is picked. */
export function pickedSummary(picked: number, hidden: number): string {
  if (picked === 0) return '';
  return ` • ${picked} picked${hidden > 0 ? ` (${hidden} hidden by the filter)` : ''}`;
}
