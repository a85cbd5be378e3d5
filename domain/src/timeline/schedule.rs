//! The weekly schedule an offer states in words ("每周一至周五 16:30–18:00",
//! "每周二、四上午"), read as far as it can be: the weekdays and, when given,
//! the time of day. Text the rule cannot read is no schedule at all, and the
//! duplicate rule then assumes the offer may run any day.

/// Minutes after midnight, a half-open range `[start, end)`.
pub type Minutes = (u16, u16);

/// Weekdays (bit 0 Monday … bit 6 Sunday) and an optional time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub days: u8,
    pub time: Option<Minutes>,
}

impl Schedule {
    /// Whether the two could run at the same time: a shared weekday, and
    /// times that intersect where both give one.
    pub fn overlaps(&self, other: &Schedule) -> bool {
        if self.days & other.days == 0 {
            return false;
        }
        match (self.time, other.time) {
            (Some((a0, a1)), Some((b0, b1))) => a0 < b1 && b0 < a1,
            _ => true,
        }
    }

    /// Reads `text`; `None` when it names no weekday in a form understood
    /// here (then it is not a weekly schedule the rule may rely on).
    pub fn parse(text: &str) -> Option<Schedule> {
        let chars: Vec<char> = text.chars().collect();
        let days = weekdays(&chars)?;
        Some(Schedule {
            days,
            time: clock_range(text).or_else(|| part_of_day(text)),
        })
    }
}

fn day_of(c: char) -> Option<u8> {
    match c {
        '一' => Some(0),
        '二' => Some(1),
        '三' => Some(2),
        '四' => Some(3),
        '五' => Some(4),
        '六' => Some(5),
        '日' | '天' => Some(6),
        _ => None,
    }
}

/// The weekdays named after 周/星期/礼拜: lists (周二、四), ranges (周一至周五)
/// and 每天/每日 (every day); 周末 is Saturday and Sunday. A count is not a
/// day: "每周一次" and "每周三次" say how often, not which day.
fn weekdays(chars: &[char]) -> Option<u8> {
    let text: String = chars.iter().collect();
    if text.contains("每天") || text.contains("每日") {
        return Some(0x7f);
    }
    let mut days = 0u8;
    if text.contains("周末") {
        days |= 0b110_0000;
    }
    let mut i = 0;
    while i < chars.len() {
        let marker = match chars[i] {
            '周' => 1,
            '星' if chars.get(i + 1) == Some(&'期') => 2,
            '礼' if chars.get(i + 1) == Some(&'拜') => 2,
            _ => 0,
        };
        if marker == 0 {
            i += 1;
            continue;
        }
        let mut j = i + marker;
        let Some(mut last) = day_at(chars, j) else {
            i = j;
            continue;
        };
        days |= 1 << last;
        j += 1;
        // Continue the list or range: "、四", "至五", "到周五", "-5".
        loop {
            match chars.get(j) {
                Some('、' | '，' | ',' | '和' | '及') => {
                    let (k, d) = next_day(chars, j + 1);
                    match d {
                        Some(d) => {
                            days |= 1 << d;
                            last = d;
                            j = k;
                        }
                        None => break,
                    }
                }
                Some('至' | '到' | '-' | '—' | '～' | '~') => {
                    let (k, d) = next_day(chars, j + 1);
                    match d {
                        Some(d) if d >= last => {
                            for x in last..=d {
                                days |= 1 << x;
                            }
                            last = d;
                            j = k;
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        i = j;
    }
    (days != 0).then_some(days)
}

/// The day at `j`, skipping a repeated 周/星期 ("周一至周五").
fn next_day(chars: &[char], mut j: usize) -> (usize, Option<u8>) {
    if chars.get(j) == Some(&'周') {
        j += 1;
    } else if matches!(
        (chars.get(j), chars.get(j + 1)),
        (Some('星'), Some('期')) | (Some('礼'), Some('拜'))
    ) {
        j += 2;
    }
    match day_at(chars, j) {
        Some(d) => (j + 1, Some(d)),
        None => (j, None),
    }
}

/// The weekday named at `j`, unless it is a count ("一次", "三回").
fn day_at(chars: &[char], j: usize) -> Option<u8> {
    let day = chars.get(j).copied().and_then(day_of)?;
    match chars.get(j + 1) {
        Some('次' | '回' | '趟' | '天') => None,
        _ => Some(day),
    }
}

/// "16:30–18:00", "9:00-11:30", "14：00至16：00".
fn clock_range(text: &str) -> Option<Minutes> {
    static RANGE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})").ok()
    });
    let caps = RANGE.as_ref()?.captures(text)?;
    let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u16>().ok());
    let (h0, m0, h1, m1) = (num(1)?, num(2)?, num(3)?, num(4)?);
    if h0 > 24 || h1 > 24 || m0 > 59 || m1 > 59 {
        return None;
    }
    let (start, end) = (h0 * 60 + m0, h1 * 60 + m1);
    (start < end).then_some((start, end))
}

/// 上午 / 下午 / 晚上 as a broad range, when no clock time is given.
fn part_of_day(text: &str) -> Option<Minutes> {
    let morning = text.contains("上午") || text.contains("早上");
    let afternoon = text.contains("下午");
    let evening = text.contains("晚上") || text.contains("傍晚");
    let start = if morning {
        6 * 60
    } else if afternoon {
        12 * 60
    } else if evening {
        17 * 60
    } else {
        return None;
    };
    let end = if evening {
        23 * 60
    } else if afternoon {
        18 * 60
    } else {
        12 * 60
    };
    Some((start, end))
}
