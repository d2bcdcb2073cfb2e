import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Stakeholders of an OData source: one pull's report (counts and errors as served). */
export function ODataReport({ sourceName, status, fetched, created, updated, skipped, errorCount, errors, runUrl, deskName, unsubscribeUrl }: TemplateProps<"odata_report">) {
  return (
    <Layout deskName={deskName} preview={`OData ${sourceName}: ${status}`} reason={`you are a stakeholder of the OData source ${sourceName}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        The pull of “{sourceName}” {status}: {fetched} fetched, {created} tickets created, {updated} updated, {skipped} skipped, {errorCount} errors.
      </P>
      {errors.length > 0 ? (
        <>
          <P>Errors:</P>
          {errors.map((e, i) => (
            <P key={i}>• {e}</P>
          ))}
        </>
      ) : null}
      <UrlLine label="The run:" href={runUrl} />
    </Layout>
  );
}
