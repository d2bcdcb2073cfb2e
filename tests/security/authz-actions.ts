import path from "node:path";
import { readdirSync, readFileSync } from "node:fs";

/*
 * The authorization matrix's server-action side: every file under app/, lib/ and components/
 * that starts with "use server" is found by walking the tree, and each exported function is an
 * action to call as each principal.
 */

const ROOT = path.resolve(__dirname, "../..");

/** Files (relative to the repo root) whose first statement is "use server". */
export function serverActionFiles(): string[] {
  const out: string[] = [];
  for (const top of ["app", "lib", "components"]) {
    for (const f of readdirSync(path.join(ROOT, top), { recursive: true }) as string[]) {
      if (!/\.(ts|tsx)$/.test(f)) continue;
      const rel = path.join(top, f);
      const head = readFileSync(path.join(ROOT, rel), "utf8").replace(/^(\s|\/\/.*\n|\/\*[\s\S]*?\*\/)*/, "");
      if (/^["']use server["']/.test(head)) out.push(rel.split(path.sep).join("/"));
    }
  }
  return out.sort();
}

export interface ActionCase {
  file: string;
  name: string;
  fn: (...args: unknown[]) => Promise<unknown>;
}

/** Import every server-action file and list its exported functions. */
export async function loadActions(): Promise<ActionCase[]> {
  const cases: ActionCase[] = [];
  for (const file of serverActionFiles()) {
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn === "function") cases.push({ file, name, fn: fn as ActionCase["fn"] });
    }
  }
  return cases;
}

/** Run an action, turning a throw (redirect, error) into a value: what the caller would see. */
export async function runAction(fn: ActionCase["fn"], args: unknown[]): Promise<{ threw: boolean; value: unknown }> {
  try {
    return { threw: false, value: await fn(...args) };
  } catch (err) {
    return { threw: true, value: err instanceof Error ? `${err.name}: ${err.message} ${(err as { digest?: string }).digest ?? ""}` : err };
  }
}
