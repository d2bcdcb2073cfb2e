import type { ReactNode } from "react";
import { cx } from "./cx";

export function Card({ children, className, as: As = "section", ...rest }: { children: ReactNode; className?: string; as?: "section" | "div" | "aside" | "article" } & { "aria-labelledby"?: string }) {
  return (
    <As className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", className)} {...rest}>
      {children}
    </As>
  );
}

export function CardHeader({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cx("flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5", className)}>{children}</div>;
}
