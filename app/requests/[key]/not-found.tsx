import Link from "next/link";

export default function RequestNotFound() {
  return (
    <div className="mx-auto max-w-lg py-10 text-center">
      <p className="font-mono text-sm text-slate-600">404</p>
      <h1 className="mt-1 text-xl font-semibold">Request not found</h1>
      <p className="mt-2 text-sm text-slate-700">We could not find that ticket among your requests.</p>
      <Link href="/requests" className="mt-4 inline-block text-sm font-medium text-brand-700 underline underline-offset-2">
        Back to my requests
      </Link>
    </div>
  );
}
