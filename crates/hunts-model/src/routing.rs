//! Where calls go across hunts. When nobody answers in time, `timeouttrannumber` sends the call
//! on (after `timeout` seconds; 0 is off); after `maxattempts` tries (0 is no limit),
//! `maxattemptstrannumber` does. A transfer number is another hunt's phone number or code (the
//! same keys LOOKUP matches; a phone number wins over a code) or else leaves the hunts. So
//! hunts form a graph, and this module finds what admins break in it:
//!
//! - **loop**: following transfers comes back to a hunt already on the path; each cycle once,
//!   its hunts in the order calls go round, starting from the one first in the list given;
//! - **dead end**: a transfer into a hunt that is blocked or has no resources;
//! - **never fires**: a transfer number set while its timer or attempt limit is 0;
//! - **leaves the hunts**: a transfer to a number no hunt has (not a fault: a way out).
//!
//! No I/O: the app gives it the hunts it read (the routing fields alone are enough), and the
//! server answers its routing check extension (`ROUTING_PATH`) with `Graph::report`.

use std::collections::HashMap;

use crate::Hunt;

/// The routing check extension: every finding across all hunts, as `Graph::report` writes it.
pub const ROUTING_PATH: &str = "/rest/v1/uc/routing";

/// What the rules read of a hunt: a graph of 100,000 holds this, not the hunts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub code: String,
    pub phonenumber: String,
    pub timeout: u32,
    pub timeouttrannumber: String,
    pub maxattempts: u32,
    pub maxattemptstrannumber: String,
    /// `huntblock.enabled`.
    pub blocked: bool,
    /// Whether it has any resources.
    pub rings: bool,
}

impl From<&Hunt> for Node {
    fn from(hunt: &Hunt) -> Node {
        Node {
            id: hunt.id.clone(),
            code: hunt.code.clone(),
            phonenumber: hunt.phonenumber.clone(),
            timeout: hunt.timeout,
            timeouttrannumber: hunt.timeouttrannumber.clone(),
            maxattempts: hunt.maxattempts,
            maxattemptstrannumber: hunt.maxattemptstrannumber.clone(),
            blocked: hunt.huntblock.enabled,
            rings: !hunt.resources.is_empty(),
        }
    }
}

/// What sends a call on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    /// Nobody answered within this many seconds.
    Timeout(u32),
    /// This many tries failed.
    Attempts(u32),
}

impl Trigger {
    /// "after 300 s", "after 10 attempts".
    pub fn words(self) -> String {
        match self {
            Trigger::Timeout(seconds) => format!(
                "after {}",
                crate::duration::format_seconds(u64::from(seconds))
            ),
            Trigger::Attempts(1) => "after 1 attempt".to_owned(),
            Trigger::Attempts(tries) => format!("after {tries} attempts"),
        }
    }
}

/// Where a transfer number leads.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// The hunt at this index of the graph's hunts.
    Hunt(usize),
    /// A number no hunt has: the call leaves the hunts.
    Outside(String),
}

/// One way a call leaves a hunt.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Transfer {
    pub from: usize,
    pub trigger: Trigger,
    pub number: String,
    pub to: Target,
}

/// A thing the check found.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Finding {
    /// Calls go round these hunts, in this order, and back to the first.
    Loop(Vec<usize>),
    /// A transfer into a hunt that is blocked (`blocked`) or has no resources.
    DeadEnd { transfer: Transfer, blocked: bool },
    /// A transfer number that is set while its timer (or attempt limit) is 0.
    NeverFires {
        hunt: usize,
        field: &'static str,
        number: String,
    },
    /// A transfer to a number no hunt has.
    Leaves(Transfer),
}

impl Finding {
    /// The hunts it concerns, in the order it names them.
    pub fn hunts(&self) -> Vec<usize> {
        match self {
            Finding::Loop(hunts) => hunts.clone(),
            Finding::DeadEnd { transfer, .. } => match transfer.to {
                Target::Hunt(to) => vec![transfer.from, to],
                Target::Outside(_) => vec![transfer.from],
            },
            Finding::NeverFires { hunt, .. } => vec![*hunt],
            Finding::Leaves(transfer) => vec![transfer.from],
        }
    }

    /// A fault to fix (not a way out of the hunts).
    pub fn is_fault(&self) -> bool {
        !matches!(self, Finding::Leaves(_))
    }

    /// Its kind, as the routing check's answer names it: one of `Finding::KINDS`.
    pub fn kind(&self) -> &'static str {
        Finding::KINDS[match self {
            Finding::Loop(_) => 0,
            Finding::DeadEnd { .. } => 1,
            Finding::NeverFires { .. } => 2,
            Finding::Leaves(_) => 3,
        }]
    }

    /// The kinds, in the order `Graph::findings` lists them.
    pub const KINDS: [&'static str; 4] = ["loop", "dead-end", "never-fires", "leaves"];
}

/// The routing graph of a set of hunts.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub hunts: Vec<Node>,
    /// Each hunt's transfers that can fire, on timeout first.
    pub transfers: Vec<Vec<Transfer>>,
}

impl Graph {
    pub fn new(hunts: Vec<Hunt>) -> Graph {
        Graph::of(hunts.iter().map(Node::from).collect())
    }

    pub fn of(hunts: Vec<Node>) -> Graph {
        let mut by_phone: HashMap<&str, usize> = HashMap::new();
        let mut by_code: HashMap<&str, usize> = HashMap::new();
        for (index, hunt) in hunts.iter().enumerate() {
            if !hunt.phonenumber.is_empty() {
                by_phone.entry(hunt.phonenumber.as_str()).or_insert(index);
            }
            if !hunt.code.is_empty() {
                by_code.entry(hunt.code.as_str()).or_insert(index);
            }
        }
        let resolve = |number: &str| match by_phone.get(number).or_else(|| by_code.get(number)) {
            Some(index) => Target::Hunt(*index),
            None => Target::Outside(number.to_owned()),
        };
        let transfers = hunts
            .iter()
            .enumerate()
            .map(|(from, hunt)| {
                exits(hunt)
                    .into_iter()
                    .map(|(trigger, number)| Transfer {
                        from,
                        trigger,
                        number: number.to_owned(),
                        to: resolve(number),
                    })
                    .collect()
            })
            .collect();
        Graph { hunts, transfers }
    }

    /// The index of the hunt with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.hunts.iter().position(|hunt| hunt.id == id)
    }

    /// The transfers into hunt `to`, in the hunts' order.
    pub fn transfers_into(&self, to: usize) -> Vec<&Transfer> {
        self.transfers
            .iter()
            .flatten()
            .filter(|transfer| transfer.to == Target::Hunt(to))
            .collect()
    }

    /// Every finding: loops first (by their first hunt), then dead ends, transfers that never
    /// fire, and ways out of the hunts, each in the hunts' order.
    pub fn findings(&self) -> Vec<Finding> {
        let mut found: Vec<Finding> = cycles(self).into_iter().map(Finding::Loop).collect();
        for transfer in self.transfers.iter().flatten() {
            match &transfer.to {
                Target::Hunt(to) => {
                    let target = &self.hunts[*to];
                    if target.blocked || !target.rings {
                        found.push(Finding::DeadEnd {
                            transfer: transfer.clone(),
                            blocked: target.blocked,
                        });
                    }
                }
                Target::Outside(_) => {}
            }
        }
        for (hunt, fields) in self.hunts.iter().enumerate() {
            for (field, number) in never_fires(fields) {
                found.push(Finding::NeverFires {
                    hunt,
                    field,
                    number: number.to_owned(),
                });
            }
        }
        found.extend(
            self.transfers
                .iter()
                .flatten()
                .filter(|transfer| matches!(transfer.to, Target::Outside(_)))
                .cloned()
                .map(Finding::Leaves),
        );
        found
    }

    /// The findings that concern hunt `index`.
    pub fn findings_for(&self, index: usize) -> Vec<Finding> {
        self.findings()
            .into_iter()
            .filter(|finding| finding.hunts().contains(&index))
            .collect()
    }

    /// A finding in an admin's words: "Calls loop: sales -> support -> sales".
    pub fn describe(&self, finding: &Finding) -> String {
        let code = |index: usize| self.hunts[index].code.clone();
        match finding {
            Finding::Loop(hunts) => format!("Calls loop: {}", self.path_words(hunts)),
            Finding::DeadEnd { transfer, blocked } => {
                let to = match &transfer.to {
                    Target::Hunt(to) => code(*to),
                    Target::Outside(number) => number.clone(),
                };
                let why = if *blocked {
                    "is blocked"
                } else {
                    "has no resources"
                };
                format!(
                    "Dead end: {} sends calls {} to {to}, which {why}",
                    code(transfer.from),
                    transfer.trigger.words()
                )
            }
            Finding::NeverFires {
                hunt,
                field,
                number,
            } => {
                let off = match *field {
                    "timeouttrannumber" => "its timeout is 0 (off)",
                    _ => "its attempt limit is 0 (no limit)",
                };
                format!(
                    "Never fires: {} has the transfer number {number}, but {off}",
                    code(*hunt)
                )
            }
            Finding::Leaves(transfer) => format!(
                "Leaves the hunts: {} sends calls {} to {}, which no hunt has",
                code(transfer.from),
                transfer.trigger.words(),
                transfer.number
            ),
        }
    }

    /// The routing check's answer: every finding in `findings`' order with its kind, its words
    /// and its hunts (id and code) in the order it names them. The server sends it (at
    /// `ROUTING_PATH`, with how many hunts were checked); the app draws it, the server's or its
    /// own where the platform has none.
    pub fn report(&self) -> Vec<Reported> {
        self.findings()
            .iter()
            .map(|finding| Reported {
                kind: finding.kind(),
                words: self.describe(finding),
                hunts: finding
                    .hunts()
                    .into_iter()
                    .map(|index| {
                        let hunt = &self.hunts[index];
                        (hunt.id.clone(), hunt.code.clone())
                    })
                    .collect(),
            })
            .collect()
    }

    /// The hunts' codes, for words: "sales -> support -> sales".
    pub fn path_words(&self, hunts: &[usize]) -> String {
        let mut words: Vec<&str> = hunts
            .iter()
            .map(|index| self.hunts[*index].code.as_str())
            .collect();
        if let Some(first) = words.first().copied() {
            words.push(first);
        }
        words.join(" -> ")
    }
}

/// One finding as the routing check answers it (`Graph::report`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reported {
    /// One of `Finding::KINDS`.
    pub kind: &'static str,
    /// `Graph::describe`'s words.
    pub words: String,
    /// Each hunt's id and code, in the order the words name them.
    pub hunts: Vec<(String, String)>,
}

/// A hunt's transfers that can fire: the number, when its trigger is on.
fn exits(hunt: &Node) -> Vec<(Trigger, &str)> {
    let mut exits = Vec::new();
    if hunt.timeout > 0 && !hunt.timeouttrannumber.is_empty() {
        exits.push((
            Trigger::Timeout(hunt.timeout),
            hunt.timeouttrannumber.as_str(),
        ));
    }
    if hunt.maxattempts > 0 && !hunt.maxattemptstrannumber.is_empty() {
        exits.push((
            Trigger::Attempts(hunt.maxattempts),
            hunt.maxattemptstrannumber.as_str(),
        ));
    }
    exits
}

/// A hunt's transfer numbers set while their trigger is off.
fn never_fires(hunt: &Node) -> Vec<(&'static str, &str)> {
    let mut never = Vec::new();
    if hunt.timeout == 0 && !hunt.timeouttrannumber.is_empty() {
        never.push(("timeouttrannumber", hunt.timeouttrannumber.as_str()));
    }
    if hunt.maxattempts == 0 && !hunt.maxattemptstrannumber.is_empty() {
        never.push(("maxattemptstrannumber", hunt.maxattemptstrannumber.as_str()));
    }
    never
}

/// The most cycles listed: past it, a tangle of transfers would take longer to list than to
/// read, and the first ones already name its hunts.
pub const MOST_LOOPS: usize = 1000;

/// Every elementary cycle, each once, starting from its lowest index, in order of that index.
/// Only hunts in a strongly connected component with a cycle are searched (Tarjan), so a long
/// chain into a loop costs one pass.
fn cycles(graph: &Graph) -> Vec<Vec<usize>> {
    let successors = successors(graph);
    let component = components(&successors);
    let mut found = Vec::new();
    let mut path: Vec<usize> = Vec::new();
    let mut on_path = vec![false; successors.len()];
    for start in 0..successors.len() {
        if found.len() >= MOST_LOOPS {
            break;
        }
        let in_cycle = successors[start]
            .iter()
            .any(|next| component[*next] == component[start]);
        if !in_cycle {
            continue;
        }
        // Depth first from `start` through higher indexes of its component, without recursion
        // (a chain of 100,000 hunts must not overflow the stack).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        path.push(start);
        on_path[start] = true;
        while let Some((node, edge)) = stack.last_mut() {
            let node = *node;
            let Some(next) = successors[node].get(*edge).copied() else {
                stack.pop();
                path.pop();
                on_path[node] = false;
                continue;
            };
            *edge += 1;
            if next == start {
                found.push(path.clone());
                if found.len() >= MOST_LOOPS {
                    break;
                }
            } else if next > start && !on_path[next] && component[next] == component[start] {
                stack.push((next, 0));
                path.push(next);
                on_path[next] = true;
            }
        }
        for node in path.drain(..) {
            on_path[node] = false;
        }
    }
    found
}

/// Each hunt's next hunts, each once, in its transfers' order.
fn successors(graph: &Graph) -> Vec<Vec<usize>> {
    graph
        .transfers
        .iter()
        .map(|transfers| {
            let mut next: Vec<usize> = transfers
                .iter()
                .filter_map(|transfer| match transfer.to {
                    Target::Hunt(to) => Some(to),
                    Target::Outside(_) => None,
                })
                .collect();
            next.dedup();
            next
        })
        .collect()
}

/// Each node's strongly connected component (Tarjan's algorithm, without recursion).
fn components(successors: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = successors.len();
    let (mut index, mut low, mut component) =
        (vec![UNSEEN; count], vec![0; count], vec![UNSEEN; count]);
    let mut on_stack = vec![false; count];
    let (mut stack, mut next_index, mut next_component) = (Vec::new(), 0, 0);
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = successors[node].get(*edge) {
                *edge += 1;
                if index[next] == UNSEEN {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HuntBlock, Resource};
    use proptest::prelude::*;

    fn ringing(code: &str, phone: &str) -> Hunt {
        Hunt {
            code: code.to_owned(),
            phonenumber: phone.to_owned(),
            resources: vec![Resource {
                id: "agent".to_owned(),
                priority: 1,
            }],
            ..Hunt::default()
        }
    }

    fn on_timeout(mut hunt: Hunt, number: &str) -> Hunt {
        hunt.timeout = 300;
        hunt.timeouttrannumber = number.to_owned();
        hunt
    }

    #[test]
    fn each_kind_of_finding() {
        let graph = Graph::new(vec![
            on_timeout(ringing("sales", "100"), "200"),
            on_timeout(ringing("support", "200"), "sales"),
            Hunt {
                maxattempts: 3,
                maxattemptstrannumber: "night".to_owned(),
                ..ringing("billing", "300")
            },
            Hunt {
                huntblock: HuntBlock {
                    enabled: true,
                    ..HuntBlock::default()
                },
                ..ringing("night", "400")
            },
            Hunt {
                timeouttrannumber: "+15550100".to_owned(),
                ..ringing("idle", "500")
            },
            on_timeout(ringing("exit", "600"), "+15550100"),
        ]);
        let findings = graph.findings();
        assert_eq!(findings[0], Finding::Loop(vec![0, 1]));
        assert_eq!(
            graph.describe(&findings[0]),
            "Calls loop: sales -> support -> sales"
        );
        assert!(matches!(
            &findings[1],
            Finding::DeadEnd { transfer, blocked: true } if transfer.from == 2 && transfer.to == Target::Hunt(3)
        ));
        assert_eq!(
            findings[2],
            Finding::NeverFires {
                hunt: 4,
                field: "timeouttrannumber",
                number: "+15550100".to_owned()
            }
        );
        assert!(matches!(&findings[3], Finding::Leaves(transfer) if transfer.from == 5));
        assert_eq!(findings.len(), 4);
        assert_eq!(
            graph.transfers_into(0).len(),
            1,
            "support sends calls to sales"
        );
        assert_eq!(Trigger::Timeout(300).words(), "after 5 min");

        // The routing check's answer: each finding with its kind, words and hunts.
        let report = graph.report();
        let kinds: Vec<&str> = report.iter().map(|reported| reported.kind).collect();
        assert_eq!(kinds, Finding::KINDS);
        assert_eq!(report[1].words, graph.describe(&findings[1]));
        let codes: Vec<&str> = report[1]
            .hunts
            .iter()
            .map(|(_, code)| code.as_str())
            .collect();
        assert_eq!(codes, ["billing", "night"]);
        assert_eq!(report[1].hunts[1].0, graph.hunts[3].id);
    }

    #[test]
    fn a_long_chain_into_a_self_loop_is_one_loop() {
        let mut hunts: Vec<Hunt> = (0..100_000)
            .map(|n| {
                on_timeout(
                    ringing(&format!("h{n}"), &n.to_string()),
                    &(n + 1).to_string(),
                )
            })
            .collect();
        let last = hunts.len() - 1;
        hunts[last].timeouttrannumber = last.to_string();
        let findings = Graph::new(hunts).findings();
        assert_eq!(findings, vec![Finding::Loop(vec![last])]);
    }

    /// Every elementary cycle by brute force: each sequence of distinct hunts that starts with
    /// its lowest and whose transfers close the circle.
    fn naive_cycles(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
        fn extend(successors: &[Vec<usize>], path: &mut Vec<usize>, found: &mut Vec<Vec<usize>>) {
            let (first, last) = (path[0], *path.last().unwrap());
            if successors[last].contains(&first) {
                found.push(path.clone());
            }
            for next in first + 1..successors.len() {
                if !path.contains(&next) && successors[last].contains(&next) {
                    path.push(next);
                    extend(successors, path, found);
                    path.pop();
                }
            }
        }
        let mut found = Vec::new();
        for start in 0..successors.len() {
            extend(successors, &mut vec![start], &mut found);
        }
        found
    }

    fn graph_of(edges: &[(usize, usize, bool)], count: usize) -> Graph {
        let mut hunts: Vec<Hunt> = (0..count)
            .map(|n| ringing(&format!("h{n}"), &format!("{n}")))
            .collect();
        for (from, to, attempts) in edges {
            let hunt = &mut hunts[*from];
            match attempts {
                false => {
                    hunt.timeout = 10;
                    hunt.timeouttrannumber = to.to_string();
                }
                true => {
                    hunt.maxattempts = 2;
                    hunt.maxattemptstrannumber = format!("h{to}");
                }
            }
        }
        Graph::new(hunts)
    }

    proptest! {
        #[test]
        fn loops_are_every_cycle_once(
            count in 1usize..7,
            edges in proptest::collection::vec((0usize..7, 0usize..7, any::<bool>()), 0..14),
        ) {
            let edges: Vec<(usize, usize, bool)> =
                edges.into_iter().filter(|(from, to, _)| *from < count && *to < count).collect();
            let graph = graph_of(&edges, count);
            let mut want = naive_cycles(&successors(&graph));
            let mut got: Vec<Vec<usize>> = graph
                .findings()
                .into_iter()
                .filter_map(|finding| match finding {
                    Finding::Loop(hunts) => Some(hunts),
                    _ => None,
                })
                .collect();
            want.sort();
            got.sort();
            prop_assert_eq!(got, want);
        }
    }
}
