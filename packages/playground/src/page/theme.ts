/** Light, dark, or the system's (prefers-color-scheme): remembered in this browser only. */
const MODES = ['auto', 'light', 'dark'] as const;
type Mode = (typeof MODES)[number];
const KEY = 'pullguard-playground-theme';

export function setUpTheme(button: HTMLButtonElement): void {
  const stored = readStored();
  apply(button, stored);
  button.onclick = () => {
    const next = MODES[(MODES.indexOf(current(button)) + 1) % MODES.length]!;
    apply(button, next);
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Storage may be refused (file://, private mode): the choice lasts for this page only.
    }
  };
}

function readStored(): Mode {
  try {
    const value = localStorage.getItem(KEY);
    return (MODES as readonly string[]).includes(value ?? '') ? (value as Mode) : 'auto';
  } catch {
    return 'auto';
  }
}

function current(button: HTMLButtonElement): Mode {
  return (button.dataset['mode'] as Mode | undefined) ?? 'auto';
}

function apply(button: HTMLButtonElement, mode: Mode): void {
  if (mode === 'auto') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = mode;
  button.dataset['mode'] = mode;
  button.textContent = `Theme: ${mode}`;
}
