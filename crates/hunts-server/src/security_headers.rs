//! The headers every answer carries so a browser holds the app to what it needs: a Content
//! Security Policy that allows the app's own files, its one inline loader (by hash), compiling
//! its WebAssembly and calling the API, and nothing else; no framing; no sniffing; no referrer.

use std::path::Path;

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for the app in `dist`: the hash of each inline `<script>` of its `index.html`
/// (trunk's loader), and its API origin (`<meta name="hunts-api-base">`) when that is not the
/// page's own.
pub fn content_security_policy(dist: &Path) -> HeaderValue {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let scripts: String = inline_scripts(&index)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let api = api_origin(&index)
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'{api}; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
         form-action 'self'"
    );
    HeaderValue::from_str(&policy).expect("the policy is plain ASCII")
}

/// The text of each `<script>` written inline (not those with `src`).
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        rest.split_once("</script>").map(|(body, _)| body)
    })
}

/// The origin in `<meta name="hunts-api-base" content="…">`, if one is set.
fn api_origin(html: &str) -> Option<String> {
    let meta = html
        .split("<meta")
        .find(|meta| meta.contains("\"hunts-api-base\""))?;
    let content = meta.split("content=\"").nth(1)?.split('"').next()?.trim();
    let url = content.trim_end_matches('/');
    let scheme_end = url.find("://")? + 3;
    let origin_end = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |slash| scheme_end + slash);
    let origin = &url[..origin_end];
    origin
        .bytes()
        .all(|byte| byte.is_ascii_graphic() && byte != b';' && byte != b',')
        .then(|| origin.to_owned())
}

/// Puts the headers on an answer.
pub fn add(policy: &HeaderValue, headers: &mut HeaderMap) {
    headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_the_api_origin_allowed() {
        let dir = std::env::temp_dir().join(format!("hunts-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            r#"<meta name="hunts-api-base" content="https://pbx.example:8443/" />
               <script type="module">import init from '/app.js';</script>
               <script src="/other.js"></script>"#,
        )
        .unwrap();
        let policy = content_security_policy(&dir);
        let policy = policy.to_str().unwrap();
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/app.js';"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("sha256-").count(), 1, "{policy}");
        assert!(
            policy.contains("connect-src 'self' https://pbx.example:8443;"),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        // No index (the server without the app): still a policy, with nothing inline allowed.
        let empty = content_security_policy(&dir.join("nowhere"));
        assert!(!empty.to_str().unwrap().contains("sha256-"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
