//! The list request's query string: `mask`, `filter`, `order`, `offset`, `limit` and `flat`,
//! parsed by the server and written by the app (which also keeps it in its own URL).

use crate::{Filter, Mask, ModelError, Order};

/// A parsed list request. `Default` is the plain list: every hunt, default mask, creation order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub mask: Option<Mask>,
    pub filter: Filter,
    pub order: Order,
    pub offset: u64,
    pub limit: Option<u64>,
    pub flat: bool,
}

impl ListQuery {
    /// Parses decoded query pairs. An unknown parameter is refused rather than silently ignored,
    /// so a misspelt `ordr` does not look like a server that cannot sort.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<ListQuery, ModelError> {
        let mut query = ListQuery::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "mask" => query.mask = Some(value.parse()?),
                "filter" => query.filter = value.parse()?,
                "order" => query.order = value.parse()?,
                "offset" => query.offset = parse_count("offset", value)?,
                "limit" => query.limit = Some(parse_count("limit", value)?),
                "flat" => query.flat = parse_flag("flat", value)?,
                other => return Err(ModelError::UnknownParameter(other.to_owned())),
            }
        }
        Ok(query)
    }

    /// The query string (without `?`), leaving out what equals the default.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(mask) = &self.mask {
            pairs.push(("mask", mask.to_string()));
        }
        if !self.filter.is_empty() {
            pairs.push(("filter", self.filter.to_string()));
        }
        if !self.order.is_empty() {
            pairs.push(("order", self.order.to_string()));
        }
        if self.offset != 0 {
            pairs.push(("offset", self.offset.to_string()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if self.flat {
            pairs.push(("flat", "true".to_owned()));
        }
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_component(value)))
            .collect();
        encoded.join("&")
    }
}

/// The read of one hunt's query string: only `mask` and `flat`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemQuery {
    pub mask: Option<Mask>,
    pub flat: bool,
}

impl ItemQuery {
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<ItemQuery, ModelError> {
        let mut query = ItemQuery::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "mask" => query.mask = Some(value.parse()?),
                "flat" => query.flat = parse_flag("flat", value)?,
                other => return Err(ModelError::UnknownParameter(other.to_owned())),
            }
        }
        Ok(query)
    }
}

pub(crate) fn parse_count(param: &'static str, value: &str) -> Result<u64, ModelError> {
    value.parse().map_err(|_| ModelError::BadParameter {
        param,
        reason: format!("{value:?} is not a whole number of 0 or more"),
    })
}

fn parse_flag(param: &'static str, value: &str) -> Result<bool, ModelError> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ModelError::BadParameter {
            param,
            reason: format!("{value:?} is neither true nor false"),
        }),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, as `encodeURIComponent`
/// does (it also spares `!'()*`, which are harmless to encode).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Reads a percent-encoded query component (its `+` as a space, as forms write it); a `%`
/// not followed by two hex digits is kept as it is.
pub fn decode_component(text: &str) -> String {
    percent_decoded(text, true)
}

/// Reads a percent-encoded path segment: as `decode_component`, but a `+` is a `+` there.
pub fn decode_segment(text: &str) -> String {
    percent_decoded(text, false)
}

fn percent_decoded(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = |offset: usize| {
            bytes
                .get(at + offset)
                .and_then(|digit| (*digit as char).to_digit(16))
        };
        match (bytes[at], hex(1), hex(2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                at += 3;
            }
            (b'+', ..) if plus_is_space => {
                out.push(b' ');
                at += 1;
            }
            (byte, ..) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_decodes_as_browsers_write_it() {
        assert_eq!(decode_component("a%20b+c"), "a b c");
        assert_eq!(decode_component("%7B%22x%22%3A1%7D"), r#"{"x":1}"#);
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%C3%A9t%C3%A9"), "été");
        assert_eq!(decode_segment("agent+1%20b"), "agent+1 b");
    }

    proptest::proptest! {
        #[test]
        fn what_is_encoded_decodes_as_itself(text in ".*") {
            proptest::prop_assert_eq!(decode_component(&encode_component(&text)), text.clone());
            proptest::prop_assert_eq!(decode_segment(&encode_component(&text)), text);
        }
    }

    #[test]
    fn parses_and_writes_back() {
        let query = ListQuery::from_pairs([
            ("mask", "id,code"),
            ("filter", r#"{"type":"sipuser"}"#),
            ("order", r#"[{"code":"desc"}]"#),
            ("offset", "20"),
            ("limit", "10"),
            ("flat", "true"),
        ])
        .unwrap();
        assert_eq!(query.offset, 20);
        assert_eq!(query.limit, Some(10));
        assert_eq!(
            query.to_query_string(),
            "mask=id%2Ccode&filter=%7B%22type%22%3A%22sipuser%22%7D&order=%5B%7B%22code%22%3A%22desc%22%7D%5D&offset=20&limit=10&flat=true"
        );
        assert_eq!(ListQuery::default().to_query_string(), "");
    }

    #[test]
    fn refusals_name_the_parameter() {
        for (key, value) in [
            ("offset", "-1"),
            ("limit", "ten"),
            ("flat", "yes"),
            ("ordr", "[]"),
        ] {
            let error = ListQuery::from_pairs([(key, value)]).unwrap_err();
            assert_eq!(error.field(), Some(key), "{key}={value}");
        }
    }
}
