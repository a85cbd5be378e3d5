//! Splitting class flows into (offer, need) pairs (see the parent module).

use super::super::fit::OfferFacts;
use super::Classes;

/// The pairs of `flows` ((offer class, need class, units), offer class order
/// then need class order). Every offer gives at most its places, every need
/// gets at most its places wanted, and no pair repeats.
pub(super) fn pairs(
    classes: &Classes,
    offers: &[OfferFacts],
    flows: &[(u32, u32, u64)],
) -> Vec<(usize, usize)> {
    let mut room: Vec<u32> = offers.iter().map(|o| o.remaining).collect();
    // Units each need class has handed out so far (its members in turn).
    let mut handed = vec![0u64; classes.needs.len()];
    // Where each offer class's next run starts.
    let mut rotation = vec![0usize; classes.offers.len()];
    let mut out = Vec::new();

    // Needs wanting several places: each offer takes a contiguous run of at
    // most `m` units (m: members of the need class), so its needs differ;
    // the longer runs rotate over the offers so that none gives more than
    // its share, at most its places.
    for &(b, a, units) in flows {
        let (b, a) = (b as usize, a as usize);
        let needs = &classes.needs[a];
        if needs.demand <= 1 {
            continue;
        }
        let members = &classes.offers[b].members;
        let (k, m) = (members.len() as u64, needs.members.len() as u64);
        let (each, extra) = (units / k, units % k);
        let mut unit = handed[a];
        for j in 0..k {
            let position = (rotation[b] + j as usize) % members.len();
            let offer = members[position] as usize;
            let run = each + u64::from(j < extra);
            for _ in 0..run {
                let need = needs.members[(unit % m) as usize] as usize;
                out.push((offer, need));
                room[offer] = room[offer].saturating_sub(1);
                unit += 1;
            }
        }
        handed[a] = unit;
        rotation[b] = (rotation[b] + extra as usize) % members.len();
    }

    // Needs wanting one place: fill the offers' remaining places in order.
    let mut next = vec![0usize; classes.offers.len()];
    for &(b, a, units) in flows {
        let (b, a) = (b as usize, a as usize);
        let needs = &classes.needs[a];
        if needs.demand > 1 {
            continue;
        }
        let members = &classes.offers[b].members;
        for _ in 0..units {
            while next[b] < members.len() && room[members[next[b]] as usize] == 0 {
                next[b] += 1;
            }
            let (Some(&offer), Some(&need)) =
                (members.get(next[b]), needs.members.get(handed[a] as usize))
            else {
                // Not reached: class flows respect the class capacities.
                break;
            };
            let offer = offer as usize;
            out.push((offer, need as usize));
            room[offer] -= 1;
            handed[a] += 1;
        }
    }
    out
}
