// Adobe's own Commerce SDK for App Builder (@adobe/aio-commerce-lib-api and -lib-auth) against
// `storefake serve`: the customer flows of an ACCS app, as an App Builder action runs them (its params carry
// the IMS token, fetched server-to-server from /ims/token/v3 as Adobe's docs show), and the SDK's own token
// fetching through @adobe/aio-lib-ims (/ims/token/v2) with one call made with it.
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
const { AdobeCommerceHttpClient, buildSearchCriteria, resolveCommerceHttpClientParams } = await import(
  "@adobe/aio-commerce-lib-api"
);

const base = process.env.STOREFAKE_URL;
const tenant = process.env.STOREFAKE_TENANT;
Ims.prototype.getApiUrl = function getApiUrl(api) {
  return base + api;
};

const clientId = process.env.STOREFAKE_CLIENT_ID;
const clientSecret = process.env.STOREFAKE_CLIENT_SECRET;
const imsAuth = getImsAuthProvider({
  clientId,
  clientSecrets: [clientSecret],
  technicalAccountId: "storefake-technical-account@techacct.adobe.com",
  technicalAccountEmail: "storefake-technical-account@techacct.adobe.com",
  imsOrgId: "1234567890ABCDEF@AdobeOrg",
  scopes: ["AdobeID", "openid", "commerce.accs"],
  environment: "prod",
  context: "storefake-check",
});
const imsClient = new AdobeCommerceHttpClient({
  auth: imsAuth,
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

// An App Builder action's params: the Commerce base URL and the IMS token (server-to-server credentials).
const tokenResponse = await fetch(`${base}/ims/token/v3`, {
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: clientSecret,
    scope: "openid,AdobeID,additional_info.projectedProductContext,commerce.accs",
  }),
});
const { access_token: accessToken } = await tokenResponse.json();
emit("token_v3", { status: tokenResponse.status, body: { parts: String(accessToken).split(".").length } });
const params = {
  AIO_COMMERCE_API_BASE_URL: `${base}/${tenant}`,
  AIO_COMMERCE_API_FLAVOR: "saas",
  AIO_COMMERCE_AUTH_IMS_TOKEN: accessToken,
  AIO_COMMERCE_AUTH_IMS_API_KEY: clientId,
};
const client = new AdobeCommerceHttpClient(resolveCommerceHttpClientParams(params, { tryForwardAuthProvider: true }));

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
      sortOrders: [{ field: "email", direction: "ASC" }],
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
await call("delete", () => client.delete(`customers/${id}`));
await call("get_deleted", () => client.get(`customers/${id}`));

// The SDK fetching its own token: aio-lib-ims posts multipart/form-data to /ims/token/v2.
try {
  const token = await imsAuth.getAccessToken();
  emit("token_v2", { status: 200, body: { parts: String(token).split(".").length } });
} catch (error) {
  emit("token_v2", { error: String(error && error.stack ? error.stack : error) });
}
await call("ims_groups_search", () =>
  imsClient.get("customerGroups/search", { searchParams: buildSearchCriteria({ pageSize: 20 }) }),
);
await call("ims_group_default", () => imsClient.get("customerGroups/default"));
