import Link from "next/link";

export default function TicketNotFound() {
  return (
    <div className="mx-auto max-w-lg py-10 text-center">
      <p className="font-mono text-sm text-slate-600">404</p>
      <h1 className="mt-1 text-xl font-semibold">Ticket not found</h1>
      <p className="mt-2 text-sm text-slate-700">There is no ticket with that key, or it was removed.</p>
      <Link href="/tickets" className="mt-4 inline-block text-sm font-medium text-brand-700 underline underline-offset-2">
        Back to tickets
      </Link>
    </div>
  );
}
