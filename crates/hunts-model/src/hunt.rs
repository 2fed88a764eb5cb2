//! The hunt entity as the contract defines it, with the defaults the reference server documents.
//!
//! Deserializing with serde is lenient on purpose (missing fields take their defaults, unknown
//! ones are skipped) so the app can read whatever the platform sends; input that will be stored
//! goes through `Hunt::from_input`, which is strict.

use serde::{Deserialize, Serialize};

/// A waiting queue. Field order follows the reference's examples, and so does the JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hunt {
    pub id: String,
    pub code: String,
    pub phonenumber: String,
    pub priority: u32,
    #[serde(rename = "type")]
    pub kind: String,
    /// In ring order: the platform rings the highest priority first.
    pub resources: Vec<Resource>,
    pub strategy: Strategy,
    pub resmode: String,
    pub objmode: String,
    pub weight: u32,
    pub wivrscript: String,
    pub qivrscript: String,
    pub preivrscript: String,
    pub reslimit: u32,
    pub maxattempts: u32,
    pub maxattemptstrannumber: String,
    pub timeout: u32,
    pub timeouttrannumber: String,
    pub resdialtimeout: u32,
    pub displayname: String,
    pub huntblock: HuntBlock,
    pub resbansec: u32,
    pub opts: Opts,
    pub ext: Ext,
}

impl Default for Hunt {
    /// The server's documented defaults for every field a create leaves out.
    fn default() -> Hunt {
        Hunt {
            id: String::new(),
            code: String::new(),
            phonenumber: String::new(),
            priority: 0,
            kind: "sipuser".to_owned(),
            resources: Vec::new(),
            strategy: Strategy::Simple,
            resmode: "priorityrandom".to_owned(),
            objmode: "spq".to_owned(),
            weight: 1,
            wivrscript: String::new(),
            qivrscript: String::new(),
            preivrscript: String::new(),
            reslimit: 0,
            maxattempts: 0,
            maxattemptstrannumber: String::new(),
            timeout: 0,
            timeouttrannumber: String::new(),
            resdialtimeout: 0,
            displayname: String::new(),
            huntblock: HuntBlock::default(),
            resbansec: 0,
            opts: Opts::default(),
            ext: Ext::default(),
        }
    }
}

/// An agent or SIP user the hunt rings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resource {
    /// Opaque: the reference's own example holds one that is not a well-formed UUID.
    pub id: String,
    pub priority: i32,
}

/// How long the hunt waits on each ring: once (`simple`) or through a list of timers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Strategy {
    #[default]
    Simple,
    Timers {
        seconds: Vec<u32>,
    },
}

/// Read as the derived form would read it (`mode` names the variant, other members ignored),
/// through a plain struct: serde's derive of a tagged enum buffers its input in a generic
/// `Content` tree, the app's one user of it (docs/size.md: 2.3 kB of the wasm as sent).
impl<'de> Deserialize<'de> for Strategy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Strategy, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Mode {
            Simple,
            Timers,
        }
        #[derive(Deserialize)]
        struct Stored {
            mode: Mode,
            seconds: Option<Vec<u32>>,
        }
        let stored = Stored::deserialize(deserializer)?;
        match (stored.mode, stored.seconds) {
            (Mode::Simple, _) => Ok(Strategy::Simple),
            (Mode::Timers, Some(seconds)) => Ok(Strategy::Timers { seconds }),
            (Mode::Timers, None) => Err(serde::de::Error::missing_field("seconds")),
        }
    }
}

impl Strategy {
    /// The names `strategy.mode` takes, as a form's choices and an error message list them.
    pub const MODES: &'static str = "simple, timers";
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HuntBlock {
    pub enabled: bool,
    /// Seconds until the block lifts; 0 means it does not lift by itself.
    pub expires: u32,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Opts {
    pub title: String,
    pub comment: String,
    pub exit_no_resource: bool,
}

/// Created and last-written times, RFC 3339 UTC, set by the server and ignored on input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ext {
    pub ct: String,
    pub lwt: String,
}

impl Hunt {
    /// The hunt as a JSON object, every field present.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a hunt always serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_strategy_reads_as_the_derived_tagged_form_read_it() {
        let read = |value: serde_json::Value| serde_json::from_value::<Strategy>(value);
        assert_eq!(
            read(json!({"mode": "timers", "seconds": [10, 20]})).unwrap(),
            Strategy::Timers {
                seconds: vec![10, 20]
            }
        );
        assert_eq!(read(json!({"mode": "simple"})).unwrap(), Strategy::Simple);
        assert_eq!(
            read(json!({"mode": "simple", "seconds": [1], "other": 2})).unwrap(),
            Strategy::Simple
        );
        for (value, says) in [
            (json!({"mode": "fifo"}), "unknown variant `fifo`"),
            (json!({"mode": "timers"}), "missing field `seconds`"),
            (json!({"seconds": [1]}), "missing field `mode`"),
            (json!({"mode": "timers", "seconds": [-1]}), "invalid value"),
        ] {
            let error = read(value.clone()).unwrap_err().to_string();
            assert!(error.contains(says), "{value}: {error}");
        }
        let text = r#"{"mode":"timers","seconds":[5]}"#;
        assert_eq!(
            serde_json::to_string(&serde_json::from_str::<Strategy>(text).unwrap()).unwrap(),
            text
        );
    }

    #[test]
    fn strategy_has_the_contract_shape() {
        let timers = Strategy::Timers {
            seconds: vec![5, 10],
        };
        assert_eq!(
            serde_json::to_value(&timers).unwrap(),
            json!({"mode": "timers", "seconds": [5, 10]})
        );
        assert_eq!(
            serde_json::to_value(Strategy::Simple).unwrap(),
            json!({"mode": "simple"})
        );
    }

    #[test]
    fn lenient_read_fills_defaults_and_skips_unknown_fields() {
        let hunt: Hunt = serde_json::from_value(json!({"code": "x", "future_field": 1})).unwrap();
        assert_eq!(hunt.code, "x");
        assert_eq!(hunt.kind, "sipuser");
    }
}
