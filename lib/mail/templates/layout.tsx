import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";

/**
 * The shared frame of every mail (React Email): a header with the desk's name, the content,
 * and a footer saying why the recipient gets it and, for optional kinds, an unsubscribe link
 * (RFC 8058 one-click also goes in the List-Unsubscribe header, set by lib/mail/queue.ts).
 * Text content is escaped by React, so titles and comment bodies from users are safe.
 */
export interface LayoutProps {
  deskName: string;
  /** Inbox preview line (hidden in the HTML, skipped in the text part). */
  preview: string;
  /** Completes "You get this because …" (no trailing period). Null: no reason line. */
  reason: string | null;
  /** One-click unsubscribe URL for this kind; null for transactional mail. */
  unsubscribeUrl: string | null;
  children: ReactNode;
}

const body: CSSProperties = { backgroundColor: "#f1f5f9", fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0, padding: "16px 0" };
const container: CSSProperties = { backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: 6, maxWidth: 600, padding: "0 24px" };
const header: CSSProperties = { color: "#0f172a", fontSize: 14, fontWeight: 600, margin: "16px 0 0" };
const footer: CSSProperties = { color: "#64748b", fontSize: 12, lineHeight: "18px", margin: "8px 0 16px" };

export function Layout({ deskName, preview, reason, unsubscribeUrl, children }: LayoutProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={header}>{deskName}</Text>
          <Hr />
          <Section>{children}</Section>
          <Hr />
          {reason ? <Text style={footer}>You get this because {reason}.</Text> : null}
          {unsubscribeUrl ? (
            <Text style={footer}>
              Unsubscribe: <Link href={unsubscribeUrl}>{unsubscribeUrl}</Link>
            </Text>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

const para: CSSProperties = { color: "#0f172a", fontSize: 14, lineHeight: "22px", margin: "12px 0" };

/** A paragraph of the mail body. */
export function P({ children }: { children: ReactNode }) {
  return <Text style={para}>{children}</Text>;
}

/** A labelled link whose text is the URL itself (so the text part shows it once). */
export function UrlLine({ label, href }: { label: string; href: string }) {
  return (
    <Text style={para}>
      {label} <Link href={href}>{href}</Link>
    </Text>
  );
}

const quote: CSSProperties = { borderLeft: "3px solid #cbd5e1", color: "#0f172a", fontSize: 14, lineHeight: "22px", margin: "12px 0", padding: "0 0 0 12px" };

/**
 * A message body (comment, description) with its line breaks kept: each line becomes a text
 * run followed by `<br>` (html-to-text turns those back into newlines in the text part).
 */
export function MessageBody({ text }: { text: string }) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return (
    <Text style={quote}>
      {lines.map((line, i) => (
        <span key={i}>
          {line}
          {i < lines.length - 1 ? <br /> : null}
        </span>
      ))}
    </Text>
  );
}
