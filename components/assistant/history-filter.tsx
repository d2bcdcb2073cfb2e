import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/** The end of a GET filter form: "Filter", and "Clear filters" (back to `clearHref`) while any filter is set. */
export function FilterButtons({ clearHref, active }: { clearHref: string; active: boolean }) {
  return (
    <>
      <button type="submit" className={buttonClass("secondary")}>
        Filter
      </button>
      {active ? (
        <Link href={clearHref} className="pb-2 text-sm text-brand-700 underline underline-offset-2 hover:text-brand-900">
          Clear filters
        </Link>
      ) : null}
    </>
  );
}
