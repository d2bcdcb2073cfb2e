// `tsx --import ./scripts/lib/server-only-register.mjs script.mts`: see server-only-hooks.mjs.
import { register } from "node:module";

register(new URL("./server-only-hooks.mjs", import.meta.url));
