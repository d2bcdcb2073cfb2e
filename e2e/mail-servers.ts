/*
 * The real mail servers of the e-mail e2e tests, shared with the Vitest suites: an smtp-server
 * sink (tests/helpers/smtp-sink.ts) and a private dovecot (tests/helpers/dovecot.ts), both on loopback.
 */
export { startSmtpSink, type SinkMessage, type SmtpSink } from "../tests/helpers/smtp-sink";
export { startDovecot, type DovecotServer as Dovecot } from "../tests/helpers/dovecot";
