//! First come, first served on classes: the same choices as
//! [`super::super::greedy`] on pairs (each need, in the order given, takes
//! one place from each of the lowest-numbered offers that may serve it and
//! have a place, up to its places wanted), without listing the pairs.

use super::super::fit::{NeedFacts, OfferFacts};
use super::Classes;

pub(super) fn first_come(
    classes: &Classes,
    needs: &[NeedFacts],
    offers: &[OfferFacts],
) -> Vec<(usize, usize)> {
    let mut need_class = vec![usize::MAX; needs.len()];
    for (a, class) in classes.needs.iter().enumerate() {
        for &n in &class.members {
            need_class[n as usize] = a;
        }
    }
    // Offer classes that may serve each need class.
    let mut served_by: Vec<Vec<u32>> = vec![Vec::new(); classes.needs.len()];
    for (b, class) in classes.offers.iter().enumerate() {
        for &a in &classes.serves[class.serves] {
            served_by[a as usize].push(b as u32);
        }
    }
    let mut room: Vec<u32> = offers.iter().map(|o| o.remaining).collect();
    // First member of each offer class that may still have a place.
    let mut head = vec![0usize; classes.offers.len()];
    let mut out = Vec::new();
    let mut cursor: Vec<usize> = Vec::new();
    for (n, facts) in needs.iter().enumerate() {
        let Some(classes_of) = served_by.get(need_class[n]) else {
            continue;
        };
        cursor.clear();
        for &b in classes_of {
            let members = &classes.offers[b as usize].members;
            let h = &mut head[b as usize];
            while *h < members.len() && room[members[*h] as usize] == 0 {
                *h += 1;
            }
            cursor.push(*h);
        }
        for _ in 0..facts.places {
            // The lowest-numbered offer with a place, past those taken.
            let mut best: Option<(u32, usize)> = None;
            for (i, &b) in classes_of.iter().enumerate() {
                let members = &classes.offers[b as usize].members;
                let c = &mut cursor[i];
                while *c < members.len() && room[members[*c] as usize] == 0 {
                    *c += 1;
                }
                if let Some(&o) = members.get(*c)
                    && best.is_none_or(|(lowest, _)| o < lowest)
                {
                    best = Some((o, i));
                }
            }
            let Some((offer, i)) = best else {
                break;
            };
            room[offer as usize] -= 1;
            cursor[i] += 1;
            out.push((offer as usize, n));
        }
    }
    out
}
