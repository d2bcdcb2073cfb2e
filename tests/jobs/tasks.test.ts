import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { getBoss } from "@/lib/jobs/boss";
import { deadLetterQueue } from "@/lib/jobs/registry";
import { enqueueTask, type TaskHandler } from "@/lib/jobs/tasks";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { takeEnqueuedQueues } from "@/lib/jobs/wake";
import { useTestDb } from "../helpers/db";

const t = useTestDb();
afterEach(() => stopWorkers());

async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("task queues", () => {
  it("a task enqueued in a transaction runs after the commit, and not at all when the transaction rolls back", async () => {
    const seen: string[] = [];
    const task: TaskHandler<{ n: string }> = { name: "test-task", run: async (d) => void seen.push(d.n) };
    await startWorkers([], [task]);
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueTask(tx, "test-task", { n: "rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const id = await t.db.transaction((tx) => enqueueTask(tx, "test-task", { n: "committed" }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await until(() => seen, (s) => s.length >= 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen).toEqual(["committed"]);
    const [job] = await rows<{ state: string }>(t.db, sql`SELECT state::text FROM pgboss.job WHERE id = ${id}::uuid`);
    expect(job.state).toBe("completed");
  });

  it("an enqueue is noted for this process's workers, so they fetch at once instead of at their next idle poll", async () => {
    takeEnqueuedQueues();
    await t.db.transaction(async (tx) => {
      await enqueueTask(tx, "test-task", { n: "a" });
      await enqueueTask(tx, "test-task", { n: "b" });
    });
    expect(takeEnqueuedQueues()).toEqual(["test-task"]);
    expect(takeEnqueuedQueues()).toEqual([]);
    // With workers running, the dispatcher tick wakes the queue's workers: the jobs run.
    const seen: string[] = [];
    await startWorkers([], [{ name: "test-task", run: async (d: { n: string }) => void seen.push(d.n) } as TaskHandler<{ n: string }>]);
    await t.db.transaction((tx) => enqueueTask(tx, "test-task", { n: "c" }));
    await until(() => seen, (s) => s.length >= 3);
    expect(seen.sort()).toEqual(["a", "b", "c"]);
  });

  it("each job keeps its own retry options: a failing task is tried retryLimit + 1 times, then its dead letter is handled", async () => {
    const attempts: Record<string, number> = {};
    const dead: string[] = [];
    const task: TaskHandler<{ n: string }> = {
      name: "test-failing-task",
      run: async (d) => {
        attempts[d.n] = (attempts[d.n] ?? 0) + 1;
        throw new Error("target down");
      },
      onDeadLetter: async (d) => void dead.push(d.n),
    };
    await startWorkers([], [task]);
    await t.db.transaction(async (tx) => {
      await enqueueTask(tx, "test-failing-task", { n: "two-retries" }, { retryLimit: 2, retryDelayS: 1 });
      await enqueueTask(tx, "test-failing-task", { n: "no-retry" }, { retryLimit: 0, retryDelayS: 1 });
    });
    await until(() => dead, (d) => d.length >= 2, 45_000);
    expect(dead.sort()).toEqual(["no-retry", "two-retries"]);
    expect(attempts).toEqual({ "two-retries": 3, "no-retry": 1 });
    const boss = await getBoss();
    expect(await boss.getQueue(deadLetterQueue("test-failing-task"))).not.toBeNull();
  });
});
