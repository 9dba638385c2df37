import type { MenuItem } from '../ui/menu-state.js';

/** What the home screen offers. The values are stable: tests and home.ts's dispatch table use them. */
export type HomeChoice = 'setup' | 'fix' | 'diagnose' | 'guide' | 'quit';

export const HOME_ITEMS: readonly MenuItem<HomeChoice>[] = [
  { value: 'setup', label: 'Set up CodeDeploy', description: 'Roles, instance profile, application and deployment group, step by step.' },
  { value: 'fix', label: 'Fix a failed deployment', description: 'Find the latest failed deployment, name the cause and offer the fix.' },
  { value: 'diagnose', label: 'Diagnose a pasted error or log', description: 'Paste an error message or agent log lines; offline, nothing leaves this machine.' },
  { value: 'guide', label: 'Browse the troubleshooting guide', description: 'Search the offline articles as you type.' },
  { value: 'quit', label: 'Quit', description: 'Leave cd-wizard.' },
];

/** The home menu; data only, so bin/ can draw its first frame before the CLI loads (src/first-frame-entry.ts). */
export const HOME_MENU = { title: 'cd-wizard', question: 'What would you like to do?', items: HOME_ITEMS };
