// Watch mode: a save in the exercise folder re-runs the checks. Watches the folder rather than the
// file, so editors that save by writing a temp file and renaming it are seen too; waits for the
// burst of events a save makes to settle, and ignores saves that did not change the content.
import { watch, readdirSync, readFileSync, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { useEffect, useRef } from "react";

export const WATCH_DEBOUNCE_MS = 250;

export function ignoredName(name: string): boolean {
  return (
    name.startsWith("node_modules") ||
    name.startsWith(".") ||
    name.endsWith("~") ||
    /\.(swp|swx|swo|tmp)$/.test(name) ||
    /\.bak-/.test(name) ||
    /^\d+$/.test(name) // vim's write test file ("4913")
  );
}

export function useWatch(
  dir: string | undefined,
  onChange: (file: string) => void,
  onError: (message: string) => void,
  /** Called once the watcher is live (saves from then on are seen). */
  onReady?: () => void,
): void {
  const change = useRef(onChange);
  const error = useRef(onError);
  const ready = useRef(onReady);
  change.current = onChange;
  error.current = onError;
  ready.current = onReady;
  useEffect(() => {
    if (!dir) return;
    const seen = new Map<string, string>();
    const read = (name: string): string | undefined => {
      try {
        return readFileSync(join(dir, name), "utf8");
      } catch {
        return undefined;
      }
    };
    // What the files hold now: a save that changes nothing does not re-run the checks.
    try {
      for (const name of readdirSync(dir)) {
        if (ignoredName(name)) continue;
        const text = read(name);
        if (text !== undefined) seen.set(name, text);
      }
    } catch {
      // The folder went away: the watch below reports it.
    }
    let timer: NodeJS.Timeout | undefined;
    const pending = new Set<string>();
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        const file = name ? String(name) : "";
        if (file && ignoredName(file)) return;
        pending.add(file);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const files = [...pending];
          pending.clear();
          // Editors often touch a file without changing it (or fire twice per save): run only on real changes.
          const changed = files.filter((f) => {
            if (!f) return true;
            const text = read(f);
            if (text !== undefined && seen.get(f) === text) return false;
            if (text !== undefined) seen.set(f, text);
            return true;
          });
          if (changed.length) change.current(changed[0] || "a file");
        }, WATCH_DEBOUNCE_MS);
      });
    } catch (err) {
      error.current(`cannot watch ${dir}: ${(err as Error).message}. Press r to re-run by hand.`);
      return;
    }
    watcher.on("error", (err) => error.current(`watching ${dir} stopped: ${err.message}. Press r to re-run by hand.`));
    ready.current?.();
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }, [dir]);
}
