import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/http/openapi";

describe("OpenAPI document", () => {
  it("is generated from the zod schemas", () => {
    const doc = openApiDocument() as any;
    const create = doc.paths["/api/tickets"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["title", "description", "email"]));
    expect(create.properties.title.maxLength).toBe(200);
    expect(create.properties.priority.enum).toEqual(["P1", "P2", "P3", "P4"]);
    expect(create.additionalProperties).toBe(false);
    const params = doc.paths["/api/tickets"].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(["status", "q", "cursor", "limit"]));
  });

  it("documents the upload API from its zod schemas", () => {
    const doc = openApiDocument() as any;
    const create = doc.paths["/api/uploads"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["filename", "contentType", "size", "kind"]));
    expect(create.properties.kind.enum).toEqual(["attachment", "serials", "compliance", "employees"]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/uploads/{id}/complete", "/api/uploads/{id}/findings", "/api/uploads/{id}/report"]));
  });
});
