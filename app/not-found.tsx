import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-10 text-center">
      <p className="font-mono text-sm text-slate-600">404</p>
      <h1 className="mt-1 text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-700">The page you asked for does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-700 underline underline-offset-2">
        Go to the start page
      </Link>
    </div>
  );
}
