//! Notifications (issue 18): the channels a person chooses per inbox kind,
//! the daily digest, the retry schedule of the sender, and the text of a
//! message composed from typed parts only.
//!
//! A message names need codes, offer titles, household names of families
//! and organisation names — never a child. It is built from [`Part`]s, not
//! from free text, and what it composes is run through the text check
//! (`text_check`): a part that would carry a number, a phone or an address
//! is left out and the message says only what kind of item waits.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};

use super::inbox::InboxKind;
use super::text_check::{self, Sensitive};

/// How a message travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "电子邮件",
            Channel::Sms => "短信",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// Whether messages go out at once or gathered once a day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Digest {
    #[default]
    None,
    Daily,
}

impl Digest {
    pub fn as_str(self) -> &'static str {
        match self {
            Digest::None => "none",
            Digest::Daily => "daily",
        }
    }

    pub fn parse(code: &str) -> Option<Digest> {
        match code {
            "none" => Some(Digest::None),
            "daily" => Some(Digest::Daily),
            _ => None,
        }
    }
}

/// The channels chosen per inbox kind. A kind not chosen explicitly goes
/// by e-mail (to a confirmed address only): someone who gave an address
/// hears of everything unless they say otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Channels(BTreeMap<InboxKind, Vec<Channel>>);

impl Channels {
    pub fn new(map: BTreeMap<InboxKind, Vec<Channel>>) -> Self {
        let map = map
            .into_iter()
            .map(|(kind, mut list)| {
                list.sort();
                list.dedup();
                (kind, list)
            })
            .collect();
        Channels(map)
    }

    /// The channels for `kind`.
    pub fn for_kind(&self, kind: InboxKind) -> Vec<Channel> {
        self.0
            .get(&kind)
            .cloned()
            .unwrap_or_else(|| vec![Channel::Email])
    }

    pub fn explicit(&self) -> &BTreeMap<InboxKind, Vec<Channel>> {
        &self.0
    }

    /// The stored form: a JSON object of codes.
    pub fn to_json(&self) -> String {
        let map: BTreeMap<&str, Vec<&str>> = self
            .0
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(|c| c.as_str()).collect()))
            .collect();
        serde_json::to_string(&map).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads the stored form; `None` when it holds an unknown code.
    pub fn from_json(text: &str) -> Option<Channels> {
        let map: BTreeMap<String, Vec<String>> = serde_json::from_str(text).ok()?;
        let mut out = BTreeMap::new();
        for (kind, list) in map {
            let kind = kind.parse::<InboxKind>().ok()?;
            let list = list
                .iter()
                .map(|c| Channel::parse(c))
                .collect::<Option<Vec<_>>>()?;
            out.insert(kind, list);
        }
        Some(Channels::new(out))
    }
}

/// An e-mail address as far as the portal checks it: one `@`, a local part
/// and a domain with a dot, no spaces or angle brackets, at most 254 bytes.
/// The SMTP server has the last word; this keeps typing mistakes out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("请填写有效的电子邮件地址")]
pub struct EmailError;

impl EmailAddress {
    pub fn parse(s: &str) -> Result<EmailAddress, EmailError> {
        let s = s.trim();
        if s.len() > 254
            || s.chars()
                .any(|c| c.is_whitespace() || "<>,;\"()[]\\".contains(c))
        {
            return Err(EmailError);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError)?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && domain.split('.').all(|label| !label.is_empty());
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(EmailError);
        }
        Ok(EmailAddress(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long a confirmation link works.
pub const CONFIRM_VALID_HOURS: i64 = 48;

/// The wait before the next attempt after `attempts` failed ones: 30 s,
/// doubling, at most an hour. A message is never given up.
pub fn backoff(attempts: u32) -> Duration {
    const FIRST_SECS: i64 = 30;
    const CAP_SECS: i64 = 3600;
    let exp = attempts.saturating_sub(1).min(20);
    let secs = FIRST_SECS.saturating_mul(1_i64 << exp);
    Duration::seconds(secs.min(CAP_SECS))
}

/// After this many failed attempts a message is alerted on (logged as an
/// error rather than a warning) at every further failure.
pub const ALERT_AFTER_ATTEMPTS: u32 = 5;

/// The next time the daily digest goes out after `now`: `hour` o'clock in
/// the county's offices (Beijing time, UTC+8).
pub fn next_digest_at(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let offset = Duration::hours(8);
    let local = now + offset;
    let at = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    let today = local.date_naive().and_time(at).and_utc() - offset;
    if today > now {
        today
    } else {
        today + Duration::days(1)
    }
}

/// The last digest time at or before `now`: messages held until then go
/// out in the digest.
pub fn last_digest_at(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    next_digest_at(now, hour) - Duration::days(1)
}

/// What a message may name about the item it tells of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// The public code of a need (random, not sequential).
    NeedCode(String),
    /// An offer's title, as its owner published it.
    OfferTitle(String),
    /// A caring family's household name.
    Household(String),
    /// A provider organisation's name.
    Organisation(String),
}

impl Part {
    fn render(&self) -> String {
        match self {
            Part::NeedCode(code) => format!("需求 {code}"),
            Part::OfferTitle(title) => format!("服务“{title}”"),
            Part::Household(name) => format!("爱心家庭“{name}”"),
            Part::Organisation(name) => format!("机构“{name}”"),
        }
    }
}

/// One event told to its recipients: what waits, what it is about, and
/// the portal's page where they act on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: InboxKind,
    pub parts: Vec<Part>,
    /// A path of the portal (`/matches/…`), built from record ids.
    pub path: String,
    /// The item has waited past its deadline (a sweep noticed): the
    /// message says so instead of announcing something new.
    pub overdue: bool,
}

impl Notice {
    pub fn new(kind: InboxKind, path: impl Into<String>) -> Notice {
        Notice {
            kind,
            parts: Vec::new(),
            path: path.into(),
            overdue: false,
        }
    }

    /// Marks the notice as a reminder of an item past its deadline.
    pub fn overdue(mut self) -> Notice {
        self.overdue = true;
        self
    }

    pub fn about(mut self, part: Part) -> Notice {
        self.parts.push(part);
        self
    }
}

/// A composed message: its subject and text (the link is added by the
/// sender, which knows the portal's address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub body: String,
    /// Parts left out because the text check found something in them.
    pub dropped: usize,
}

/// Whether the text check finds anything in `text`.
pub fn is_clean(text: &str) -> bool {
    text_check::check(text, &Sensitive::default()).is_empty()
}

/// The subject and text of `notice`. Each part is checked on its own and
/// left out when the text check finds anything in it (an offer title with
/// a phone number, say); the whole is checked again.
pub fn compose(notice: &Notice) -> Composed {
    let label = notice.kind.label();
    let mut dropped = 0;
    let about: Vec<String> = notice
        .parts
        .iter()
        .map(Part::render)
        .filter(|text| {
            let clean = is_clean(text);
            if !clean {
                dropped += 1;
            }
            clean
        })
        .collect();
    let (subject, opening) = if notice.overdue {
        (
            format!("【童心桥】逾期提醒：{label}"),
            "您有一项待办已超过办理时限",
        )
    } else {
        (format!("【童心桥】{label}"), "您有一项新的待办")
    };
    let plain = format!("{opening}：{label}。请登录童心桥处理。");
    let body = if about.is_empty() {
        plain.clone()
    } else {
        format!(
            "{opening}：{label}（{}）。请登录童心桥处理。",
            about.join("，")
        )
    };
    if is_clean(&body) {
        Composed {
            subject,
            body,
            dropped,
        }
    } else {
        Composed {
            subject,
            body: plain,
            dropped: notice.parts.len(),
        }
    }
}

/// The text of a confirmation mail.
pub fn confirmation_text() -> (String, String) {
    (
        "【童心桥】请确认您的电子邮件地址".to_owned(),
        format!(
            "您在童心桥填写了这个电子邮件地址，用于接收待办提醒。请登录后打开下面的链接确认（{CONFIRM_VALID_HOURS}小时内有效）。如非本人操作，请忽略本邮件。"
        ),
    )
}

/// One message gathered into a digest.
pub struct DigestLine<'a> {
    pub subject: &'a str,
    pub body: &'a str,
}

/// The subject and text of a digest of `lines` for `channel`.
pub fn digest_text(channel: Channel, lines: &[DigestLine<'_>]) -> (String, String) {
    let n = lines.len();
    let subject = format!("【童心桥】每日待办汇总（{n}项）");
    let body = match channel {
        Channel::Sms => format!("【童心桥】您有{n}项新的待办，请登录童心桥处理。"),
        Channel::Email => {
            let mut text = format!("过去一天您有{n}项新的待办：\n");
            for (i, line) in lines.iter().enumerate() {
                text.push_str(&format!("{}. {}\n", i + 1, line.body));
            }
            text.push_str("请登录童心桥处理。");
            text
        }
    };
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_kind_without_a_choice_goes_by_email() {
        let mut map = BTreeMap::new();
        map.insert(InboxKind::MatchProposed, vec![Channel::Sms, Channel::Sms]);
        map.insert(InboxKind::ProviderToVerify, vec![]);
        let channels = Channels::new(map);
        assert_eq!(
            channels.for_kind(InboxKind::MatchProposed),
            vec![Channel::Sms]
        );
        assert!(channels.for_kind(InboxKind::ProviderToVerify).is_empty());
        assert_eq!(
            channels.for_kind(InboxKind::FamilyToAssess),
            vec![Channel::Email]
        );
        assert_eq!(Channels::from_json(&channels.to_json()), Some(channels));
        assert_eq!(Channels::from_json(r#"{"nope":["email"]}"#), None);
        assert_eq!(Channels::from_json(r#"{"match_proposed":["fax"]}"#), None);
    }

    #[test]
    fn an_overdue_notice_says_it_waited_past_its_deadline() {
        let fresh = compose(&Notice::new(InboxKind::ReportToRespond, "/reports/x"));
        let late = compose(&Notice::new(InboxKind::ReportToRespond, "/reports/x").overdue());
        assert!(fresh.body.starts_with("您有一项新的待办"), "{}", fresh.body);
        assert!(late.subject.contains("逾期提醒"), "{}", late.subject);
        assert!(late.body.contains("已超过办理时限"), "{}", late.body);
        assert!(late.body.contains(InboxKind::ReportToRespond.label()));
    }

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(8), Duration::seconds(3600));
        assert_eq!(backoff(u32::MAX), Duration::seconds(3600));
    }

    #[test]
    fn the_digest_goes_out_at_the_hour_beijing_time() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("time")
                .with_timezone(&Utc)
        };
        // 08:00 Beijing is 00:00 UTC.
        assert_eq!(
            next_digest_at(at("2026-12-02T10:00:00Z"), 8),
            at("2026-12-03T00:00:00Z")
        );
        assert_eq!(
            next_digest_at(at("2026-12-01T23:00:00Z"), 8),
            at("2026-12-02T00:00:00Z")
        );
        assert_eq!(
            next_digest_at(at("2026-12-02T00:00:00Z"), 8),
            at("2026-12-03T00:00:00Z")
        );
    }

    #[test]
    fn addresses_are_checked_for_their_shape() {
        assert!(EmailAddress::parse(" officer@example.org ").is_ok());
        for bad in [
            "", "a", "a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a@b..cn", "<a@b.cn>",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_message_names_its_parts_and_the_kind() {
        let notice = Notice::new(InboxKind::MatchProposed, "/matches/x")
            .about(Part::NeedCode("N7KQ2M".to_owned()))
            .about(Part::OfferTitle("四点半课堂".to_owned()));
        let composed = compose(&notice);
        assert!(composed.subject.contains("待审批的对接"));
        assert!(composed.body.contains("N7KQ2M"));
        assert!(composed.body.contains("四点半课堂"));
        assert_eq!(composed.dropped, 0);
    }

    #[test]
    fn a_part_that_carries_a_phone_or_id_number_is_left_out() {
        let notice = Notice::new(InboxKind::MatchProposed, "/matches/x")
            .about(Part::OfferTitle("请联系13812345678".to_owned()))
            .about(Part::Household("110101201001011237".to_owned()));
        let composed = compose(&notice);
        assert!(!composed.body.contains("13812345678"));
        assert!(!composed.body.contains("110101201001011237"));
        assert_eq!(composed.dropped, 2);
        assert!(is_clean(&composed.body));
    }

    proptest! {
        #[test]
        fn whatever_the_parts_say_the_composed_text_passes_the_check(
            title in "\\PC{0,30}", household in "[0-9一二三四五六七八九十零 -]{0,30}"
        ) {
            let notice = Notice::new(InboxKind::MatchSuggested, "/matches/x")
                .about(Part::OfferTitle(title))
                .about(Part::Household(household));
            let composed = compose(&notice);
            prop_assert!(is_clean(&composed.body));
            prop_assert!(is_clean(&composed.subject));
        }
    }
}
