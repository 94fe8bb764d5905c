//! The served OpenAPI document against the server itself: every operation it describes answers
//! as described, and the server has no API route or method the document lacks. No list of
//! routes is kept here: the document and the router are all the test knows.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::sessions::{call, create};
use crate::support::start_with;

/// Every method a route could be registered for (HEAD answers wherever GET does).
const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "options", "trace"];

/// The API router's own paths. axum keeps its route table to itself; its `Debug` output holds
/// every path as a string.
fn router_paths() -> BTreeSet<String> {
    let debug = format!("{:?}", werkmuur_server::api::routes());
    let paths: BTreeSet<String> = debug
        .split('"')
        .filter(|s| s.starts_with("/api/"))
        .map(str::to_owned)
        .collect();
    assert!(
        paths.contains("/api/openapi.json"),
        "no paths found in the router's Debug output; has its format changed? {debug}"
    );
    paths
}

/// `path` with its parameters filled in: a parameter's example if the document gives one, else
/// the fixture's value for its name.
fn fill(path: &str, item: &Value, values: &BTreeMap<&str, String>) -> String {
    let mut filled = path.to_owned();
    let params = METHODS
        .iter()
        .filter_map(|m| item[m]["parameters"].as_array())
        .flatten()
        .filter(|p| p["in"] == "path");
    for param in params {
        let name = param["name"].as_str().unwrap();
        let value = match param["example"].as_str() {
            Some(example) => example.to_owned(),
            None => values
                .get(name)
                .unwrap_or_else(|| panic!("no value for {{{name}}} in {path}"))
                .clone(),
        };
        filled = filled.replace(&format!("{{{name}}}"), &value);
    }
    assert!(
        !filled.contains('{'),
        "{path}: a parameter is not described"
    );
    filled
}

/// Every `$ref` in a JSON value.
fn refs(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, v)| match (key.as_str(), v) {
                ("$ref", Value::String(r)) => vec![r.clone()],
                _ => refs(v),
            })
            .collect(),
        Value::Array(items) => items.iter().flat_map(refs).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_of_the_api_and_only_those() {
    // Sign-in through an identity provider on, so its routes answer as they do when it is
    // configured (this one is never reached: its pages say so, as described).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let f = start_with(|s| {
        s.public_url = Some("http://127.0.0.1:9".into());
        s.oidc = Some(crate::oidc::oidc_settings(&issuer));
    })
    .await;
    let doc = call(&f, "GET", "/api/openapi.json", None, None).await;
    assert_eq!(doc.status, 200, "{}", doc.body);
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();

    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for reference in refs(&doc) {
        let name = reference.strip_prefix("#/components/schemas/");
        assert!(
            name.is_some_and(|n| schemas.contains_key(n)),
            "{reference} points nowhere"
        );
    }

    let mut described: BTreeSet<String> = paths.keys().cloned().collect();
    // The catch-all that answers every other path with a JSON 404.
    described.insert("/api/{*rest}".into());
    assert_eq!(router_paths(), described, "router paths != described paths");

    let session = create(&f, "ambtenaren").await;
    let mut token = session["facilitator_token"].as_str().unwrap().to_owned();
    let values = BTreeMap::from([
        ("id", session["id"].as_str().unwrap().to_owned()),
        ("code", session["code"].as_str().unwrap().to_owned()),
    ]);
    let mut operation_ids = BTreeSet::new();
    for (path, item) in paths {
        let url = fill(path, item, &values);
        for method in METHODS {
            let r = call(
                &f,
                &method.to_uppercase(),
                &url,
                Some(&token),
                Some(json!({})),
            )
            .await;
            let Some(operation) = item.get(method) else {
                assert_eq!(r.status, 405, "{method} {path} is served but not described");
                continue;
            };
            assert!(
                operation_ids.insert(operation["operationId"].as_str().unwrap()),
                "{method} {path}: operation ids are unique"
            );
            let described = &operation["responses"][r.status.to_string()];
            assert!(
                described.is_object() && ![404, 405].contains(&r.status),
                "{method} {url} answers {}, which is not described: {}",
                r.status,
                r.body
            );
            if let Some(content) = described["content"].as_object() {
                let got = r.header("content-type").unwrap_or_default();
                assert!(
                    content.keys().any(|c| got.starts_with(c.as_str())),
                    "{method} {path} {}: content type {got} is not described",
                    r.status
                );
            }
            // The facilitator's link made anew: go on with the new token.
            let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
            if let Some(fresh) = body["facilitator_token"].as_str() {
                token = fresh.to_owned();
            }
        }
    }
}
