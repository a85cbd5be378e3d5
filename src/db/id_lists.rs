//! Lists of values bound into `IN (…)`, padded to one of a few lengths.
//!
//! A statement's text holds one placeholder per value, so a query sent with
//! 1 to 200 ids is 200 different statements: each connection prepares and
//! caches them apart (SQLite: about 60 KB of prepared program for 200 ids
//! and two joins; sqlx keeps 100 per connection, so at eight connections
//! tens of MB, and a statement evicted is parsed and planned again on its
//! next use). Padded to the next power of two by repeating the last value,
//! which `IN` ignores, the same query is at most nine statements up to 256
//! values: prepared once per connection, then found in its cache.

/// Lists longer than this are sent as they are: only jobs read such pages
/// (the allocation plan, the ledger, 2,000 at a time), and padding them
/// could pass SQLite's limit of 32,766 bound values.
const PADDED_UP_TO: usize = 1_024;

/// `values`, padded to the next power of two by repeating the last one
/// (empty stays empty; longer than [`PADDED_UP_TO`], unchanged).
pub fn padded<T: Clone>(values: &[T]) -> Vec<T> {
    let Some(last) = values.last() else {
        return Vec::new();
    };
    if values.len() > PADDED_UP_TO {
        return values.to_vec();
    }
    let mut out = Vec::with_capacity(values.len().next_power_of_two());
    out.extend_from_slice(values);
    out.resize(values.len().next_power_of_two(), last.clone());
    out
}

#[cfg(test)]
mod tests {
    use super::padded;

    #[test]
    fn lists_are_padded_to_powers_of_two_with_the_last_value() {
        assert!(padded::<u8>(&[]).is_empty());
        assert_eq!(padded(&[7]), vec![7]);
        assert_eq!(padded(&[1, 2, 3]), vec![1, 2, 3, 3]);
        assert_eq!(padded(&[1, 2, 3, 4]), vec![1, 2, 3, 4]);
        let lengths: std::collections::BTreeSet<usize> =
            (1..=256).map(|n| padded(&vec![0; n]).len()).collect();
        assert_eq!(lengths.len(), 9, "{lengths:?}");
        assert_eq!(padded(&vec![0; 1_025]).len(), 1_025);
        assert_eq!(padded(&vec![0; 1_000]).len(), 1_024);
    }

    #[test]
    fn padding_adds_no_value_that_was_not_asked_for() {
        for n in 1..100 {
            let values: Vec<u32> = (0..n).collect();
            let out = padded(&values);
            assert_eq!(&out[..values.len()], &values[..]);
            assert!(out.iter().all(|v| values.contains(v)));
        }
    }
}
