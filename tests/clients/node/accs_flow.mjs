// Adobe's own Commerce SDK for App Builder (@adobe/aio-commerce-lib-api and -lib-auth) against
// `storefake serve`: an IMS token through @adobe/aio-lib-ims, then the customer flows of an ACCS app.
//
// Reads STOREFAKE_URL, STOREFAKE_TENANT, STOREFAKE_CLIENT_ID and STOREFAKE_CLIENT_SECRET; prints one JSON
// object per step ({step, status, body} or {step, error}) and lets the Python test judge them.
//
// The one change to the SDK's behaviour: aio-lib-ims builds its IMS URL from a fixed table of Adobe hosts
// (prod, stage), so Ims#getApiUrl is pointed at the fake. Everything else is the SDK as an app uses it.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Ims } = require("@adobe/aio-lib-ims");
const { getImsAuthProvider } = await import("@adobe/aio-commerce-lib-auth");
const { AdobeCommerceHttpClient, buildSearchCriteria } = await import("@adobe/aio-commerce-lib-api");

const base = process.env.STOREFAKE_URL;
const tenant = process.env.STOREFAKE_TENANT;
Ims.prototype.getApiUrl = function getApiUrl(api) {
  return base + api;
};

const auth = getImsAuthProvider({
  clientId: process.env.STOREFAKE_CLIENT_ID,
  clientSecrets: [process.env.STOREFAKE_CLIENT_SECRET],
  technicalAccountId: "storefake-technical-account@techacct.adobe.com",
  technicalAccountEmail: "storefake-technical-account@techacct.adobe.com",
  imsOrgId: "1234567890ABCDEF@AdobeOrg",
  scopes: ["AdobeID", "openid", "commerce.accs"],
  environment: "prod",
  context: "storefake-check",
});
const client = new AdobeCommerceHttpClient({
  auth,
  config: { baseUrl: `${base}/${tenant}`, flavor: "saas" },
  fetchOptions: { retry: 0 },
});

function emit(step, result) {
  process.stdout.write(`${JSON.stringify({ step, ...result })}\n`);
}

async function call(step, request) {
  try {
    const response = await request();
    const text = await response.text();
    emit(step, { status: response.status, body: text ? JSON.parse(text) : null });
  } catch (error) {
    if (error.response) {
      const text = await error.response.text();
      emit(step, { status: error.response.status, body: text ? JSON.parse(text) : null });
    } else {
      emit(step, { error: String(error && error.stack ? error.stack : error) });
    }
  }
}

const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const email = `sdk-${suffix}@example.com`;

try {
  const token = await auth.getAccessToken();
  emit("token", { status: 200, body: { token_type: typeof token, parts: String(token).split(".").length } });
} catch (error) {
  emit("token", { error: String(error && error.stack ? error.stack : error) });
}

let created = null;
await call("create", async () => {
  const response = await client.post("customers", {
    json: { customer: { email, firstname: "Ada", lastname: "Lovelace", website_id: 1 }, password: "Str0ng-Passw0rd!" },
  });
  created = await response.clone().json();
  return response;
});
const id = created && created.id;

await call("get", () => client.get(`customers/${id}`));
await call("search", () =>
  client.get("customers/search", {
    searchParams: buildSearchCriteria({
      filterGroups: [[{ field: "email", value: email }]],
      sortOrders: [{ field: "entity_id", direction: "ASC" }],
      pageSize: 10,
      currentPage: 1,
    }),
  }),
);
await call("search_like", () =>
  client.get("customers/search", {
    searchParams: buildSearchCriteria({
      filterGroups: [[{ field: "email", value: `%${suffix}%`, conditionType: "like" }]],
      pageSize: 10,
    }),
  }),
);
await call("update", () =>
  client.put(`customers/${id}`, {
    json: { customer: { id, email, firstname: "Augusta", lastname: "Lovelace", website_id: 1 } },
  }),
);
await call("groups_search", () =>
  client.get("customerGroups/search", { searchParams: buildSearchCriteria({ pageSize: 20 }) }),
);
await call("group_default", () => client.get("customerGroups/default"));
await call("delete", () => client.delete(`customers/${id}`));
await call("get_deleted", () => client.get(`customers/${id}`));
