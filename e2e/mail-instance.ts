/*
 * The mail specs' name for the private e2e instance (e2e/private-instance.ts, where the code
 * lives since the SLA spec needs the same thing with the test clock on).
 */
export {
  freePort,
  startPrivateInstance as startMailTestInstance,
  tail,
  type InstanceUser,
  type PrivateInstance as MailTestInstance,
} from "./private-instance";
