// {{ns}} / {{NS}} in lessons: the learner's namespace as a subject prefix ("alice.") and as a stream or
// bucket name prefix ("ALICE_"), the same forms the check engine uses (src/check/context.ts).
// Both are empty when there is no namespace (a local server). `show` and `init` do not connect, so
// they only know a namespace given with --namespace or GOINGNATS_NAMESPACE.
import { sanitizeNamespace } from "../server/namespace.js";

export function namespaceVars(namespace: string | undefined): { ns: string; NS: string } {
  const n = sanitizeNamespace(namespace ?? "");
  if (!n) return { ns: "", NS: "" };
  return { ns: `${n}.`, NS: `${n.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_` };
}

export function substituteVars(text: string, vars: { ns: string; NS: string }): string {
  return text.replace(/\{\{\s*(ns|NS)\s*\}\}/g, (_, k: "ns" | "NS") => vars[k]);
}
