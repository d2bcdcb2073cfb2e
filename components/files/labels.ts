import type { UploadKind } from "@/lib/files/types";
import type { UploadDTO } from "@/lib/files/uploads/schemas";

/*
 * Words the file pages show for kinds, statuses and finding codes. Pure: used by server and
 * client components alike.
 */

export type UploadStatus = UploadDTO["status"];

export const KIND_LABEL: Record<UploadKind, string> = {
  attachment: "Attachment",
  serials: "Serial sheet",
  compliance: "Compliance sheet",
  employees: "Employee sheet",
};

export const STATUS_LABEL: Record<UploadStatus, string> = {
  pending: "Waiting for the file",
  checking: "Checking the file",
  processing: "Processing",
  done: "Done",
  failed: "Failed",
};

/** Statuses in which the server is still working on the upload (pages poll GET /api/uploads/{id}). */
export function isActive(status: UploadStatus): boolean {
  return status === "pending" || status === "checking" || status === "processing";
}

/**
 * Short names of finding codes: the GS1 serial checks (lib/files/gs1/serial-checker.ts) and the
 * compliance checks (lib/files/compliance/evaluator.ts). Unknown codes show as written.
 */
export const CODE_LABEL: Record<string, string> = {
  invalid_gtin: "Invalid GTIN",
  invalid_serial: "Invalid serial",
  invalid_lot: "Invalid lot",
  invalid_expiry: "Invalid expiry",
  duplicate_serial: "Duplicate serial",
  illegal_transition: "Illegal transition",
  expired_shipped: "Shipped after expiry",
  missing_column: "Missing column",
  empty_value: "Empty value",
  value_not_allowed: "Value not allowed",
  pattern_mismatch: "Pattern mismatch",
  out_of_range: "Out of range",
  cross_field_violation: "Cross-field violation",
  duplicate_value: "Duplicate value",
  missing_reference: "Missing reference",
  invalid_number: "Invalid number",
  invalid_date: "Invalid date",
  missing_reference_dataset: "Reference sheet missing",
  pattern_timeout: "Pattern timed out",
};

export const codeLabel = (code: string): string => CODE_LABEL[code] ?? code.replace(/_/g, " ");

export const SEVERITY_LABEL = { error: "Error", warning: "Warning", info: "Info" } as const;
