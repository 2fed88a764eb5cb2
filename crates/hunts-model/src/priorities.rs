//! Resource priorities: the ring order, tiers of equal priority, and the rules for moving one
//! resource. A move goes to a *target* among the other resources: onto a tier (it joins it and
//! takes its priority) or into a gap between tiers (it gets a priority strictly between its
//! neighbours'). Only the moved resource changes, unless no integer fits; then every tier is
//! respaced evenly, keeping every existing order and tie.
//!
//! The keyboard and the move buttons step through the same targets as a pointer drag, one at a
//! time, so all three behave alike.

use crate::Resource;

/// The distance between tiers after a respace, and above the top tier for a move to the top.
pub const STEP: i32 = 10;

/// The resources in ring order: highest priority first; equal priorities keep their array order.
pub fn ring_order(resources: &[Resource]) -> Vec<Resource> {
    let mut ring = resources.to_vec();
    ring.sort_by_key(|resource| std::cmp::Reverse(resource.priority));
    ring
}

/// A run of resources with the same priority, as positions in a ring-ordered list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub priority: i32,
    pub start: usize,
    pub len: usize,
}

/// The tiers of a ring-ordered list, top first.
pub fn tiers(ring: &[Resource]) -> Vec<Tier> {
    let mut tiers: Vec<Tier> = Vec::new();
    for (index, resource) in ring.iter().enumerate() {
        match tiers.last_mut() {
            Some(tier) if tier.priority == resource.priority => tier.len += 1,
            _ => tiers.push(Tier {
                priority: resource.priority,
                start: index,
                len: 1,
            }),
        }
    }
    tiers
}

/// Where a moved resource can go, counted among the *other* resources' tiers: `Gap(0)` is above
/// the first tier, `Tier(0)` the first tier, `Gap(1)` between the first and second, and so on to
/// `Gap(n)` below the last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Tier(usize),
    Gap(usize),
}

/// The resources after a move, in ring order, and whether every tier had to be respaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub resources: Vec<Resource>,
    pub respaced: bool,
}

/// Splits a ring into the resource `id` and the others, in ring order.
fn take(ring: &[Resource], id: &str) -> Option<(Resource, Vec<Resource>)> {
    let index = ring.iter().position(|resource| resource.id == id)?;
    let mut others = ring.to_vec();
    let moved = others.remove(index);
    Some((moved, others))
}

/// Where resource `id` sits now, as a target among the others.
pub fn current_target(ring: &[Resource], id: &str) -> Option<Target> {
    let (moved, others) = take(ring, id)?;
    let others_tiers = tiers(&others);
    if let Some(index) = others_tiers
        .iter()
        .position(|tier| tier.priority == moved.priority)
    {
        return Some(Target::Tier(index));
    }
    Some(Target::Gap(
        others_tiers
            .iter()
            .filter(|tier| tier.priority > moved.priority)
            .count(),
    ))
}

/// Moves resource `id` of a ring-ordered list to `target`. `None` if there is no such resource
/// or target.
pub fn move_to(ring: &[Resource], id: &str, target: Target) -> Option<Moved> {
    let (moved, mut others) = take(ring, id)?;
    let others_tiers = tiers(&others);
    let (insert_at, priority) = match target {
        Target::Tier(index) => {
            let tier = others_tiers.get(index)?;
            (tier.start + tier.len, Some(tier.priority))
        }
        Target::Gap(index) if index > others_tiers.len() => return None,
        Target::Gap(index) => {
            let above = index
                .checked_sub(1)
                .map(|above| others_tiers[above].priority);
            let below = others_tiers.get(index).map(|tier| tier.priority);
            let insert_at = others_tiers
                .get(index)
                .map_or(others.len(), |tier| tier.start);
            (insert_at, priority_between(moved.priority, above, below))
        }
    };
    let respaced = priority.is_none();
    others.insert(
        insert_at,
        Resource {
            priority: priority.unwrap_or(moved.priority),
            ..moved
        },
    );
    if respaced {
        respace(&mut others, insert_at);
    }
    Some(Moved {
        resources: others,
        respaced,
    })
}

/// A priority strictly below `above` and strictly above `below` (either may be absent), at least
/// 0 at the bottom; the current one when it already fits. `None` when no integer fits.
fn priority_between(current: i32, above: Option<i32>, below: Option<i32>) -> Option<i32> {
    let fits = |p: i32| {
        above.is_none_or(|above| p < above) && below.is_none_or(|below| p > below) && p >= 0
    };
    if fits(current) {
        return Some(current);
    }
    let candidate = match (above, below) {
        (None, None) => Some(current.max(0)),
        (None, Some(below)) => below.checked_add(STEP),
        (Some(above), None) => Some((above - STEP).max(0)),
        (Some(above), Some(below)) => Some(below + (above - below) / 2),
    };
    candidate.filter(|&p| fits(p))
}

/// Gives every tier an evenly spaced priority (the bottom tier `STEP`, the next `2 * STEP`, …),
/// with the resource at `alone` a tier of its own.
fn respace(ring: &mut [Resource], alone: usize) {
    let mut groups = vec![0usize; ring.len()];
    let mut group = 0;
    for index in 1..ring.len() {
        let same_tier = ring[index].priority == ring[index - 1].priority
            && index != alone
            && index - 1 != alone;
        if !same_tier {
            group += 1;
        }
        groups[index] = group;
    }
    let count = group as i32 + 1;
    for (resource, group) in ring.iter_mut().zip(groups) {
        resource.priority = (count - group as i32) * STEP;
    }
}

/// Which way a step goes: towards the top of the ring (rung earlier) or the bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
}

/// One step up or down through the targets (as the keyboard and the move buttons do). `None` at
/// either end.
pub fn step(ring: &[Resource], id: &str, way: Step) -> Option<Moved> {
    let rank = match current_target(ring, id)? {
        Target::Gap(index) => 2 * index,
        Target::Tier(index) => 2 * index + 1,
    };
    let others_tiers = tiers(&take(ring, id)?.1).len();
    let next = match way {
        Step::Up => rank.checked_sub(1)?,
        Step::Down => rank + 1,
    };
    if next > 2 * others_tiers {
        return None;
    }
    let target = if next % 2 == 0 {
        Target::Gap(next / 2)
    } else {
        Target::Tier(next / 2)
    };
    move_to(ring, id, target)
}

/// For each tier of a ring as shown, its index among the *other* tiers once `dragged` is lifted
/// out; `None` for a tier that is the dragged resource alone (its place becomes a gap).
pub fn tiers_without(ring: &[Resource], dragged: &str) -> Vec<Option<usize>> {
    let mut next = 0;
    tiers(ring)
        .iter()
        .map(|tier| {
            let alone = tier.len == 1 && ring[tier.start].id == dragged;
            if alone {
                return None;
            }
            next += 1;
            Some(next - 1)
        })
        .collect()
}

/// The vertical extent of a shown tier, measured when a drag starts, with its index among the
/// other tiers (see `tiers_without`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub top: f64,
    pub bottom: f64,
    pub tier: Option<usize>,
}

/// Which target a pointer at `y` is over: the middle of a tier joins it; its top and bottom edges
/// (a quarter of it, at most 10 px) and the space between tiers, the dragged resource's own
/// place included, are gaps. Bands are top to bottom.
pub fn target_at(bands: &[Band], y: f64) -> Target {
    let mut passed = 0;
    for band in bands {
        let Some(tier) = band.tier else {
            continue;
        };
        let edge = ((band.bottom - band.top) * 0.25).min(10.0);
        if y < band.top + edge {
            return Target::Gap(tier);
        }
        if y <= band.bottom - edge {
            return Target::Tier(tier);
        }
        passed = tier + 1;
    }
    Target::Gap(passed)
}

/// Where one resource stands in a hunt's ring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub priority: i32,
    /// 1 for the first rung, in ring order.
    pub position: usize,
    pub of: usize,
    /// The others of its tier (rung together with it).
    pub together_with: Vec<String>,
}

impl Place {
    /// "2nd of 5, rung together with res-9".
    pub fn describe(&self) -> String {
        let ordinal = match (self.position % 10, self.position % 100) {
            (1, 11) | (2, 12) | (3, 13) => format!("{}th", self.position),
            (1, _) => format!("{}st", self.position),
            (2, _) => format!("{}nd", self.position),
            (3, _) => format!("{}rd", self.position),
            _ => format!("{}th", self.position),
        };
        let mut text = format!("{ordinal} of {}", self.of);
        if !self.together_with.is_empty() {
            let names: Vec<String> = self.together_with.iter().map(|id| short_id(id)).collect();
            text += &format!(", rung together with {}", names.join(" and "));
        }
        text
    }
}

/// Where resource `id` stands in `resources` (any order), if it is there.
pub fn place_of(resources: &[Resource], id: &str) -> Option<Place> {
    let ring = ring_order(resources);
    let index = ring.iter().position(|resource| resource.id == id)?;
    let priority = ring[index].priority;
    Some(Place {
        priority,
        position: index + 1,
        of: ring.len(),
        together_with: ring
            .iter()
            .filter(|resource| resource.priority == priority && resource.id != id)
            .map(|resource| resource.id.clone())
            .collect(),
    })
}

/// A short name for a resource id in sentences: `65ac9beb…`.
pub fn short_id(id: &str) -> String {
    match id.char_indices().nth(8) {
        Some((cut, _)) if id.chars().count() > 10 => format!("{}…", &id[..cut]),
        _ => id.to_owned(),
    }
}

/// How a hunt rings resources of equal priority: at random (`resmode` `priorityrandom`) or in
/// list order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ties {
    Random,
    InOrder,
}

impl Ties {
    /// The ties of a hunt with this `resmode`.
    pub fn of_resmode(resmode: &str) -> Ties {
        if resmode == "priorityrandom" {
            Ties::Random
        } else {
            Ties::InOrder
        }
    }
}

/// The order calls will try, in words: "1st: A; then B or C at random; then D".
pub fn ring_preview(ring: &[Resource], ties: Ties) -> String {
    ring_words(ring, ties)
        .into_iter()
        .map(|words| match words {
            Words::Text(text) => text,
            Words::Resource { shown, .. } => shown,
        })
        .collect()
}

/// A piece of the ring in words: text, or a resource (its id, and the id as shown), so that a
/// page can make each resource a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Words {
    Text(String),
    Resource { id: String, shown: String },
}

/// `ring_preview` in pieces.
pub fn ring_words(ring: &[Resource], ties: Ties) -> Vec<Words> {
    if ring.is_empty() {
        return vec![Words::Text(
            "No resources: calls wait in the queue".to_owned(),
        )];
    }
    let mut words = Vec::new();
    for (index, tier) in tiers(ring).iter().enumerate() {
        let members = &ring[tier.start..tier.start + tier.len];
        let (between, tail) = match ties {
            _ if members.len() == 1 => ("", ""),
            Ties::Random => (" or ", " at random"),
            Ties::InOrder => (", then ", ""),
        };
        let start = if index == 0 { "1st: " } else { "; then " };
        words.push(Words::Text(start.to_owned()));
        for (at, member) in members.iter().enumerate() {
            if at > 0 {
                words.push(Words::Text(between.to_owned()));
            }
            words.push(Words::Resource {
                id: member.id.clone(),
                shown: short_id(&member.id),
            });
        }
        if !tail.is_empty() {
            words.push(Words::Text(tail.to_owned()));
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `"a:100 b:99"` as resources.
    fn ring(text: &str) -> Vec<Resource> {
        text.split_whitespace()
            .map(|item| {
                let (id, priority) = item.split_once(':').unwrap();
                Resource {
                    id: id.to_owned(),
                    priority: priority.parse().unwrap(),
                }
            })
            .collect()
    }

    fn show(resources: &[Resource]) -> String {
        resources
            .iter()
            .map(|r| format!("{}:{}", r.id, r.priority))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn move_to_targets() {
        // (ring, moved, target, ring after, respaced)
        let rows = [
            // The reference's example: 100, 99, then a third at 95.
            (
                "a:100 b:99 c:95",
                "c",
                Target::Gap(0),
                "c:110 a:100 b:99",
                false,
            ),
            (
                "a:100 b:99 c:95",
                "c",
                Target::Tier(0),
                "a:100 c:100 b:99",
                false,
            ),
            (
                "a:100 b:99 c:95",
                "c",
                Target::Gap(1),
                "a:30 c:20 b:10",
                true,
            ),
            (
                "a:100 b:99 c:95",
                "a",
                Target::Tier(1),
                "b:99 c:95 a:95",
                false,
            ),
            (
                "a:100 b:99 c:95",
                "a",
                Target::Gap(2),
                "b:99 c:95 a:85",
                false,
            ),
            (
                "a:100 b:99 c:95",
                "b",
                Target::Gap(1),
                "a:100 b:99 c:95",
                false,
            ),
            // Between tiers with room: the midpoint; the current priority when it already fits.
            (
                "a:100 b:80 c:60",
                "c",
                Target::Gap(1),
                "a:100 c:90 b:80",
                false,
            ),
            (
                "a:100 b:80 c:90",
                "c",
                Target::Gap(1),
                "a:100 c:90 b:80",
                false,
            ),
            // Respacing keeps ties: b and c stay one tier.
            (
                "a:11 b:10 c:10 d:5",
                "d",
                Target::Gap(1),
                "a:30 d:20 b:10 c:10",
                true,
            ),
            // The bottom stays at 0 or more; at 0 there is no room below.
            ("a:5 b:3", "a", Target::Gap(1), "b:3 a:0", false),
            ("a:5 b:0", "a", Target::Gap(1), "b:20 a:10", true),
            // A lone resource keeps its priority.
            ("a:7", "a", Target::Gap(0), "a:7", false),
        ];
        for (before, id, target, after, respaced) in rows {
            let moved = move_to(&ring(before), id, target).unwrap();
            assert_eq!(
                (show(&moved.resources).as_str(), moved.respaced),
                (after, respaced),
                "{before}: {id} to {target:?}"
            );
        }
        assert_eq!(move_to(&ring("a:1 b:2"), "a", Target::Tier(1)), None);
        assert_eq!(move_to(&ring("a:1 b:2"), "a", Target::Gap(2)), None);
        assert_eq!(move_to(&ring("a:1"), "z", Target::Gap(0)), None);
    }

    #[test]
    fn current_target_and_keyboard_steps() {
        let rows = [
            ("a:100 b:99 c:95", "c", Some(Target::Gap(2))),
            ("a:100 b:99 c:99", "c", Some(Target::Tier(1))),
            ("a:100 b:99 c:95", "a", Some(Target::Gap(0))),
        ];
        for (before, id, expected) in rows {
            assert_eq!(
                current_target(&ring(before), id),
                expected,
                "{before}: {id}"
            );
        }
        // (ring, moved, way, ring after)
        let steps = [
            ("a:100 b:99 c:95", "c", Step::Up, Some("a:100 b:99 c:99")),
            ("a:100 b:99 c:99", "c", Step::Up, Some("a:30 c:20 b:10")),
            ("a:100 b:99 c:95", "a", Step::Up, None),
            ("a:100 b:99 c:95", "c", Step::Down, None),
            ("a:100 b:99 c:95", "a", Step::Down, Some("b:99 a:99 c:95")),
            ("b:99 a:99 c:95", "a", Step::Down, Some("b:99 a:97 c:95")),
        ];
        for (before, id, way, after) in steps {
            let moved = step(&ring(before), id, way).map(|moved| show(&moved.resources));
            assert_eq!(moved.as_deref(), after, "{before}: {id} {way:?}");
        }
    }

    #[test]
    fn drag_bands_to_targets() {
        // Three shown tiers; the middle one is the dragged resource alone.
        assert_eq!(
            tiers_without(&ring("a:100 c:99 b:95"), "c"),
            [Some(0), None, Some(1)]
        );
        assert_eq!(
            tiers_without(&ring("a:100 c:99 b:99"), "c"),
            [Some(0), Some(1)]
        );
        let bands = [
            Band {
                top: 0.0,
                bottom: 40.0,
                tier: Some(0),
            },
            Band {
                top: 46.0,
                bottom: 86.0,
                tier: None,
            },
            Band {
                top: 92.0,
                bottom: 132.0,
                tier: Some(1),
            },
        ];
        // (pointer y, target)
        let rows = [
            (-5.0, Target::Gap(0)),
            (5.0, Target::Gap(0)),
            (20.0, Target::Tier(0)),
            (35.0, Target::Gap(1)),
            (60.0, Target::Gap(1)),
            (95.0, Target::Gap(1)),
            (110.0, Target::Tier(1)),
            (128.0, Target::Gap(2)),
            (500.0, Target::Gap(2)),
        ];
        for (y, target) in rows {
            assert_eq!(target_at(&bands, y), target, "y = {y}");
        }
    }

    #[test]
    fn ring_order_and_tiers() {
        let sorted = ring_order(&ring("a:1 b:5 c:1 d:9"));
        assert_eq!(show(&sorted), "d:9 b:5 a:1 c:1");
        assert_eq!(
            tiers(&sorted)
                .iter()
                .map(|t| (t.priority, t.start, t.len))
                .collect::<Vec<_>>(),
            [(9, 0, 1), (5, 1, 1), (1, 2, 2)]
        );
    }

    #[test]
    fn a_resource_s_place_in_words() {
        let rows = [
            ("a:100 b:50 c:50 d:1", "a", Some("1st of 4")),
            (
                "a:100 b:50 c:50 d:1",
                "c",
                Some("3rd of 4, rung together with b"),
            ),
            ("a:100 b:50 c:50 d:1", "x", None),
        ];
        for (ring_text, id, expected) in rows {
            let place = place_of(&ring(ring_text), id).map(|place| place.describe());
            assert_eq!(place.as_deref(), expected, "{id} in {ring_text}");
        }
        let twelfth = Place {
            priority: 1,
            position: 12,
            of: 20,
            together_with: vec![],
        };
        assert_eq!(twelfth.describe(), "12th of 20");
    }

    #[test]
    fn preview_in_words() {
        let sorted = ring("a:100 b:50 c:50 d:1");
        assert_eq!(
            ring_preview(&sorted, Ties::Random),
            "1st: a; then b or c at random; then d"
        );
        assert_eq!(
            ring_preview(&sorted, Ties::InOrder),
            "1st: a; then b, then c; then d"
        );
        assert_eq!(
            short_id("65ac9beb-016c-b372-e769-50e54938780c"),
            "65ac9beb…"
        );
        assert_eq!(short_id("agent_7"), "agent_7");
    }
}
