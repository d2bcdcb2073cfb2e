import type { z } from "zod";
import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CreateEmployeeSchema, ListEmployeesQuerySchema, UpdateEmployeeSchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

/**
 * OpenAPI path items of /api/employees, /api/employees/{id} and /api/departments, generated
 * from the zod schemas the route handlers parse with. Spread into the `paths` of lib/http/openapi.ts.
 */
export function employeeOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/employees": {
      get: {
        summary: "Employee skill profiles by name, with load (agents)",
        parameters: h.queryParams(ListEmployeesQuerySchema),
        responses: { ...h.ok("{items: Employee[]}"), ...h.errors(400, 401, 403) },
      },
      post: {
        summary: "Create an employee skill profile (admins)",
        description:
          "Links the user with that e-mail (a requester becomes an agent) or invites a new agent user without a password. Sheets of many employees go through POST /api/uploads with kind `employees`.",
        requestBody: requestBody(CreateEmployeeSchema),
        responses: { ...h.ok("Employee", "201"), ...h.errors(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    "/api/employees/{id}": {
      get: { summary: "One employee skill profile (agents)", parameters: [idParam], responses: { ...h.ok("Employee"), ...h.errors(401, 403, 404) } },
      patch: {
        summary: "Change an employee skill profile (admins)",
        parameters: [idParam],
        requestBody: requestBody(UpdateEmployeeSchema),
        responses: { ...h.ok("Employee"), ...h.errors(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    "/api/departments": {
      get: {
        summary: "Departments a ticket can be filed for: teams with an active employee, else all teams",
        description: "Public. Pass a department's `slug` as `team` when filing a ticket.",
        security: [],
        responses: { ...h.ok("{items: [{slug, name}]}"), ...h.errors(429) },
      },
    },
  };
}
