//! Every figure of the dashboards for one period, per township, read with
//! one grouped statement per table (see `db::oversight`). The county's
//! figures are the townships' summed; samples behind medians are kept so
//! that the county median is the median of all its items.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::db;
use crate::db::oversight::AsOf;
use crate::db::oversight::period::{self as flows, Span};
use crate::domain::child::{AgeBand, DifficultyClass};
use crate::domain::entitlement::Calendar;
use crate::domain::indicator::Measure;
use crate::domain::matching::MatchStatus;
use crate::domain::need::NeedStatus;
use crate::domain::outcome::{NotMetReason, OutcomeKind};
use crate::domain::period::Period;
use crate::domain::referral::office_day;

use super::super::{ServiceResult, Store};
use super::snapshot::ClassBasis;
use super::{as_of, median, span_of};

/// Files not visited within this many days count against visit coverage.
pub const VISIT_DAYS: i64 = 90;
/// A proposal is decided in time within this many working days.
pub const DECISION_WORKING_DAYS: u32 = 4;

/// The figures of one township, or of the county (the sum).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Open files per difficulty class, in `DifficultyClass::ALL` order.
    pub by_class: Vec<u64>,
    /// Open files per age band, in `AgeBand::ALL` order, then not banded.
    pub by_band: Vec<u64>,
    pub files_open: u64,
    pub visited: u64,
    /// Needs published in the period, by their status now.
    pub published: u64,
    pub still_waiting: u64,
    pub matched: u64,
    pub fulfilled: u64,
    pub closed: u64,
    /// Days from publication to the first approved match, one per need.
    pub days_to_match: Vec<f64>,
    /// Published needs waiting longer than the overdue days (now).
    pub needs_overdue: u64,
    pub waiting_township: u64,
    pub waiting_county: u64,
    pub waiting_long: u64,
    pub decided: u64,
    pub decided_in_time: u64,
    pub services: u64,
    pub hours: f64,
    pub completed: u64,
    pub rated: u64,
    pub rating_sum: u64,
    pub reports: u64,
    pub urgent: u64,
    pub urgent_in_time: u64,
    /// Hours from receipt to the first response, one per answered report.
    pub response_hours: Vec<f64>,
    pub referrals: u64,
    /// Referrals answered or past their deadline (the in-time share's base).
    pub referrals_due: u64,
    pub referrals_in_time: u64,
    pub gaps: u64,
    pub families_approved: u64,
    pub families_in_review: u64,
    /// Needs closed or fulfilled in the period, by their recorded outcome.
    pub fully_met: u64,
    pub partly_met: u64,
    /// Not met, per reason in `NotMetReason::ALL` order.
    pub not_met: Vec<u64>,
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

impl Figures {
    fn empty() -> Self {
        Figures {
            by_class: vec![0; DifficultyClass::ALL.len()],
            by_band: vec![0; AgeBand::ALL.len() + 1],
            not_met: vec![0; NotMetReason::ALL.len()],
            ..Figures::default()
        }
    }

    /// Adds `other` in (the county is the sum of its townships).
    fn add(&mut self, o: &Figures) {
        for (a, b) in self.by_class.iter_mut().zip(&o.by_class) {
            *a += b;
        }
        for (a, b) in self.by_band.iter_mut().zip(&o.by_band) {
            *a += b;
        }
        self.files_open += o.files_open;
        self.visited += o.visited;
        self.published += o.published;
        self.still_waiting += o.still_waiting;
        self.matched += o.matched;
        self.fulfilled += o.fulfilled;
        self.closed += o.closed;
        self.days_to_match.extend(&o.days_to_match);
        self.needs_overdue += o.needs_overdue;
        self.waiting_township += o.waiting_township;
        self.waiting_county += o.waiting_county;
        self.waiting_long += o.waiting_long;
        self.decided += o.decided;
        self.decided_in_time += o.decided_in_time;
        self.services += o.services;
        self.hours += o.hours;
        self.completed += o.completed;
        self.rated += o.rated;
        self.rating_sum += o.rating_sum;
        self.reports += o.reports;
        self.urgent += o.urgent;
        self.urgent_in_time += o.urgent_in_time;
        self.response_hours.extend(&o.response_hours);
        self.referrals += o.referrals;
        self.referrals_due += o.referrals_due;
        self.referrals_in_time += o.referrals_in_time;
        self.gaps += o.gaps;
        self.families_approved += o.families_approved;
        self.families_in_review += o.families_in_review;
        self.fully_met += o.fully_met;
        self.partly_met += o.partly_met;
        for (a, b) in self.not_met.iter_mut().zip(&o.not_met) {
            *a += b;
        }
    }

    /// Counts `n` files on file of `class` and `band` (codes; a band not
    /// known counts as not banded).
    fn count_file(&mut self, class: &str, band: &str, n: u64) {
        self.files_open += n;
        if let Some(i) = DifficultyClass::ALL
            .iter()
            .position(|c| c.as_str() == class)
        {
            self.by_class[i] += n;
        }
        let i = AgeBand::ALL
            .iter()
            .position(|b| b.as_str() == band)
            .unwrap_or(AgeBand::ALL.len());
        self.by_band[i] += n;
    }

    /// Counts `n` needs published in the period that are now in `status`.
    fn count_published(&mut self, status: &str, n: u64) {
        self.published += n;
        match status.parse::<NeedStatus>() {
            Ok(NeedStatus::Matched) => self.matched += n,
            Ok(NeedStatus::Fulfilled) => self.fulfilled += n,
            Ok(NeedStatus::Closed) => self.closed += n,
            _ => self.still_waiting += n,
        }
    }

    /// Counts a report received in the period: urgent ones answered by
    /// their deadline, and the hours to the first response.
    fn count_report(
        &mut self,
        urgent: bool,
        received: DateTime<Utc>,
        due: DateTime<Utc>,
        responded: Option<DateTime<Utc>>,
    ) {
        self.reports += 1;
        if urgent {
            self.urgent += 1;
            if responded.is_some_and(|r| r <= due) {
                self.urgent_in_time += 1;
            }
        }
        if let Some(r) = responded {
            self.response_hours
                .push(((r - received).num_seconds() as f64 / 3600.0).max(0.0));
        }
    }

    /// Counts a referral sent in the period: it is due once answered or
    /// past its deadline (`today`), in time when answered by the deadline.
    fn count_referral(
        &mut self,
        due_on: NaiveDate,
        answered: Option<DateTime<Utc>>,
        today: NaiveDate,
    ) {
        self.referrals += 1;
        match answered {
            Some(a) => {
                self.referrals_due += 1;
                if office_day(a) <= due_on {
                    self.referrals_in_time += 1;
                }
            }
            None if today > due_on => self.referrals_due += 1,
            None => {}
        }
    }

    /// The value of a supervision measure (`None`: nothing to measure).
    pub fn measure(&self, m: Measure) -> Option<f64> {
        match m {
            Measure::VisitCoverage => share(self.visited, self.files_open),
            Measure::DaysToMatch => median(self.days_to_match.clone()),
            Measure::ProposalsDecidedInTime => share(self.decided_in_time, self.decided),
            Measure::UrgentReportsAnswered => share(self.urgent_in_time, self.urgent),
            Measure::ReferralsAnsweredInTime => share(self.referrals_in_time, self.referrals_due),
        }
    }

    /// The mean rating of the completed matches (1–5).
    pub fn mean_rating(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.rating_sum as f64 / self.rated as f64)
    }

    /// The headline figures, in the order the dashboard shows them.
    pub fn headline(&self) -> Vec<Headline> {
        let n = |v: u64| Some(v as f64);
        vec![
            Headline::new("files_open", "在档困境儿童", n(self.files_open), "人"),
            Headline::new(
                "visit_coverage",
                "90天内走访覆盖率",
                self.measure(Measure::VisitCoverage),
                "%",
            ),
            Headline::new("needs_published", "本期发布需求", n(self.published), "项"),
            Headline::new(
                "needs_met",
                "其中已对接或已完成",
                n(self.matched + self.fulfilled),
                "项",
            ),
            Headline::new("needs_closed", "其中已关闭", n(self.closed), "项"),
            Headline::new(
                "days_to_match",
                "发布到首次批准对接（中位数）",
                median(self.days_to_match.clone()),
                "天",
            ),
            Headline::new(
                "needs_overdue",
                "超期未对接需求",
                n(self.needs_overdue),
                "项",
            ),
            Headline::new(
                "waiting_township",
                "待乡镇审批对接",
                n(self.waiting_township),
                "项",
            ),
            Headline::new(
                "waiting_county",
                "待县级审批对接",
                n(self.waiting_county),
                "项",
            ),
            Headline::new(
                "proposals_in_time",
                "4个工作日内审批比例",
                self.measure(Measure::ProposalsDecidedInTime),
                "%",
            ),
            Headline::new("services", "本期服务记录", n(self.services), "次"),
            Headline::new("hours", "本期服务时长", Some(self.hours), "小时"),
            Headline::new("completed", "本期完成对接", n(self.completed), "项"),
            Headline::new("mean_rating", "完成对接平均评分", self.mean_rating(), "分"),
            Headline::new("reports", "本期强制报告", n(self.reports), "件"),
            Headline::new(
                "urgent_in_time",
                "紧急报告1小时内响应比例",
                self.measure(Measure::UrgentReportsAnswered),
                "%",
            ),
            Headline::new(
                "response_hours",
                "首次响应用时（中位数）",
                median(self.response_hours.clone()),
                "小时",
            ),
            Headline::new("referrals", "本期转介部门", n(self.referrals), "件"),
            Headline::new(
                "referrals_in_time",
                "转介期限内答复比例",
                self.measure(Measure::ReferralsAnsweredInTime),
                "%",
            ),
            Headline::new("gaps", "应享未享（当前）", n(self.gaps), "人"),
            Headline::new(
                "outcome_fully_met",
                "本期结案需求：完全满足",
                n(self.fully_met),
                "项",
            ),
            Headline::new(
                "outcome_partly_met",
                "本期结案需求：部分满足",
                n(self.partly_met),
                "项",
            ),
            Headline::new(
                "outcome_not_met_other_help_found",
                "本期结案需求：未满足（已通过其他渠道获得帮助）",
                n(self.not_met.first().copied().unwrap_or(0)),
                "项",
            ),
            Headline::new(
                "outcome_not_met_no_longer_needed",
                "本期结案需求：未满足（已不再需要）",
                n(self.not_met.get(1).copied().unwrap_or(0)),
                "项",
            ),
            Headline::new(
                "outcome_not_met_other",
                "本期结案需求：未满足（其他原因）",
                n(self.not_met.get(2).copied().unwrap_or(0)),
                "项",
            ),
            Headline::new(
                "families_approved",
                "已批准爱心家庭",
                n(self.families_approved),
                "户",
            ),
            Headline::new(
                "families_in_review",
                "审核中的爱心家庭",
                n(self.families_in_review),
                "户",
            ),
        ]
    }
}

/// One headline figure: a code for the API, a label, the value and unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub code: &'static str,
    pub label: &'static str,
    /// `None`: nothing recorded in the period.
    pub value: Option<f64>,
    pub unit: &'static str,
}

impl Headline {
    fn new(
        code: &'static str,
        label: &'static str,
        value: Option<f64>,
        unit: &'static str,
    ) -> Self {
        Self {
            code,
            label,
            value,
            unit,
        }
    }
}

/// The figures of every township (with a file, need, match… in it) for a
/// period; townships with nothing recorded are absent.
#[derive(Clone, Debug, Default)]
pub struct AllFigures {
    pub townships: BTreeMap<String, Figures>,
    /// What the files by class and band are counted by.
    pub class_basis: ClassBasis,
}

impl AllFigures {
    /// The county's figures: the sum of the townships'.
    pub fn county(&self) -> Figures {
        let mut out = Figures::empty();
        for f in self.townships.values() {
            out.add(f);
        }
        out
    }

    /// One township's figures (all zero when nothing is recorded there).
    pub fn township(&self, code: &str) -> Figures {
        self.townships
            .get(code)
            .cloned()
            .unwrap_or_else(Figures::empty)
    }
}

/// Whole working days from `from` to `to` (office days, by `calendar`).
fn working_days_between(calendar: &Calendar, from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    let (mut day, end) = (office_day(from), office_day(to));
    let mut n = 0;
    while day < end && n <= 366 {
        day = day.succ_opt().unwrap_or(end);
        if calendar.is_working_day(day) {
            n += 1;
        }
    }
    n
}

/// Each need's first approval from `(township, need, published, approved)`
/// rows (one per approval): (township, published at, days from publication
/// to the first approval).
fn first_approvals(
    rows: Vec<(String, String, DateTime<Utc>, DateTime<Utc>)>,
) -> Vec<(String, DateTime<Utc>, f64)> {
    let mut first: BTreeMap<String, (String, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    for (t, need, published, approved) in rows {
        let entry = first.entry(need).or_insert((t, published, approved));
        if approved < entry.2 {
            entry.2 = approved;
        }
    }
    first
        .into_values()
        .map(|(t, published, approved)| {
            let days = (approved - published).num_seconds() as f64 / 86_400.0;
            (t, published, days.max(0.0))
        })
        .collect()
}

/// Reads every figure of `period` for every township (`now`: the moment
/// snapshot figures and waits are measured at; `overdue_days`: when a
/// published need counts as waiting too long).
pub async fn load(
    store: Store<'_>,
    period: Period,
    now: DateTime<Utc>,
    overdue_days: u32,
) -> ServiceResult<AllFigures> {
    let db = store.db;
    let span = span_of(period);
    let today = office_day(now);
    let mut all = AllFigures::default();
    fn slot<'m>(map: &'m mut BTreeMap<String, Figures>, t: &str) -> &'m mut Figures {
        map.entry(t.to_owned()).or_insert_with(Figures::empty)
    }
    let (files, basis) = super::snapshot::files_at_end(store, &span, now).await?;
    all.class_basis = basis;
    let map = &mut all.townships;
    let at = as_of(&span, now);
    for ((t, class, band), n) in files {
        slot(map, &t).count_file(&class, &band, n);
    }
    for (t, n) in db::oversight::visited_files(db, &at).await? {
        slot(map, &t).visited = n;
    }
    for ((t, status), n) in flows::needs_published(db, span).await? {
        slot(map, &t).count_published(&status, n);
    }
    for (t, _, days) in first_approvals(flows::first_approvals(db, span).await?) {
        slot(map, &t).days_to_match.push(days);
    }
    let overdue_before = now - Duration::days(i64::from(overdue_days));
    for (t, n) in db::oversight::needs_waiting_since(db, overdue_before).await? {
        slot(map, &t).needs_overdue = n;
    }
    let long_before = now - Duration::days(i64::from(DECISION_WORKING_DAYS));
    for ((t, status), (n, long)) in db::oversight::proposals_waiting(db, long_before).await? {
        let f = slot(map, &t);
        if status == MatchStatus::Proposed.as_str() {
            f.waiting_township += n;
        } else {
            f.waiting_county += n;
        }
        f.waiting_long += long;
    }
    let calendar = store.rules.calendar();
    for (t, created, review_since, decided) in flows::proposal_decisions(db, span).await? {
        let came = review_since.unwrap_or(created).max(created);
        let f = slot(map, &t);
        f.decided += 1;
        if working_days_between(calendar, came, decided) <= DECISION_WORKING_DAYS {
            f.decided_in_time += 1;
        }
    }
    for (t, (n, hours)) in flows::services(db, span).await? {
        let f = slot(map, &t);
        f.services = n;
        f.hours = hours;
    }
    for (t, (n, rated, sum)) in flows::completions(db, span).await? {
        let f = slot(map, &t);
        f.completed = n;
        f.rated = rated;
        f.rating_sum = sum;
    }
    for (t, urgent, received, due, responded) in flows::reports(db, span).await? {
        slot(map, &t).count_report(urgent, received, due, responded);
    }
    for (t, _, due_on, answered) in flows::referrals(db, span).await? {
        slot(map, &t).count_referral(due_on, answered, today);
    }
    for (t, n) in db::entitlements::gap_counts(db).await? {
        slot(map, &t).gaps = u64::try_from(n).unwrap_or(0);
    }
    for ((t, status), n) in db::oversight::families_by_status(db).await? {
        let f = slot(map, &t);
        match status.as_str() {
            "approved" => f.families_approved += n,
            "submitted" | "assessing" | "recommended" => f.families_in_review += n,
            _ => {}
        }
    }
    for (t, outcome, reason, n) in flows::needs_by_outcome(db, span).await? {
        let f = slot(map, &t);
        match outcome.parse::<OutcomeKind>() {
            Ok(OutcomeKind::FullyMet) => f.fully_met += n,
            Ok(OutcomeKind::PartlyMet) => f.partly_met += n,
            Ok(OutcomeKind::NotMet) => {
                let at = reason
                    .and_then(|r| r.parse::<NotMetReason>().ok())
                    .and_then(|r| NotMetReason::ALL.iter().position(|x| *x == r))
                    .unwrap_or(NotMetReason::ALL.len() - 1);
                f.not_met[at] += n;
            }
            Err(_) => {}
        }
    }
    Ok(all)
}

/// The twelve months ending with a period: for each township, the
/// figures of each month that have a monthly value (the others stay zero):
/// files on file and visited at the month's end, needs published in it by
/// their status now, days to the first approval, services and hours,
/// completions and ratings, reports and their response hours, referrals
/// and their deadlines. A month's figures are those the month's dashboard
/// shows (the same rules, read for twelve months at once).
#[derive(Clone, Debug, Default)]
pub struct Trend {
    pub months: Vec<Period>,
    pub townships: BTreeMap<String, Vec<Figures>>,
}

impl Trend {
    /// The figures of each month for a township (`None`: the county's sum).
    pub fn of(&self, township: Option<&str>) -> Vec<Figures> {
        let len = self.months.len();
        match township {
            Some(t) => self
                .townships
                .get(t)
                .cloned()
                .unwrap_or_else(|| vec![Figures::empty(); len]),
            None => {
                let mut sum = vec![Figures::empty(); len];
                for months in self.townships.values() {
                    for (s, f) in sum.iter_mut().zip(months) {
                        s.add(f);
                    }
                }
                sum
            }
        }
    }
}

/// The index of the span of `months` holding `at`.
fn month_of(months: &[Span], at: DateTime<Utc>) -> Option<usize> {
    months.iter().position(|s| s.from <= at && at < s.to)
}

/// The twelve months ending with `period`, as of `now` (a month not yet
/// ended counts its files as of now): eight statements, each over the
/// whole twelve months.
pub async fn trend(store: Store<'_>, period: Period, now: DateTime<Utc>) -> ServiceResult<Trend> {
    use db::oversight::trend as monthly;
    let db = store.db;
    let months = period.trend_months();
    let spans: Vec<Span> = months.iter().map(|m| span_of(*m)).collect();
    let ends: Vec<AsOf> = spans.iter().map(|s| as_of(s, now)).collect();
    let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
        return Ok(Trend::default());
    };
    let whole = Span {
        from: first.from,
        to: last.to,
        from_day: first.from_day,
        to_day: last.to_day,
    };
    let today = office_day(now);
    let len = months.len();
    let mut map: BTreeMap<String, Vec<Figures>> = BTreeMap::new();
    fn month<'m>(
        map: &'m mut BTreeMap<String, Vec<Figures>>,
        len: usize,
        t: &str,
        i: usize,
    ) -> Option<&'m mut Figures> {
        map.entry(t.to_owned())
            .or_insert_with(|| vec![Figures::empty(); len])
            .get_mut(i)
    }
    for (t, values) in monthly::files(db, &ends).await? {
        for (i, n) in values.into_iter().enumerate() {
            month(&mut map, len, &t, i)
                .into_iter()
                .for_each(|f| f.files_open = n);
        }
    }
    for (t, values) in monthly::visited(db, &ends).await? {
        for (i, n) in values.into_iter().enumerate() {
            month(&mut map, len, &t, i)
                .into_iter()
                .for_each(|f| f.visited = n);
        }
    }
    for ((t, status), values) in monthly::needs_published(db, &spans).await? {
        for (i, n) in values.into_iter().enumerate() {
            month(&mut map, len, &t, i)
                .into_iter()
                .for_each(|f| f.count_published(&status, n));
        }
    }
    for (t, published, days) in first_approvals(flows::first_approvals(db, whole).await?) {
        if let Some(f) = month_of(&spans, published).and_then(|i| month(&mut map, len, &t, i)) {
            f.days_to_match.push(days);
        }
    }
    for (t, values) in monthly::services(db, &spans).await? {
        for (i, (n, hours)) in values.into_iter().enumerate() {
            month(&mut map, len, &t, i).into_iter().for_each(|f| {
                f.services = n;
                f.hours = hours;
            });
        }
    }
    for (t, values) in monthly::completions(db, &spans).await? {
        for (i, (n, rated, sum)) in values.into_iter().enumerate() {
            month(&mut map, len, &t, i).into_iter().for_each(|f| {
                f.completed = n;
                f.rated = rated;
                f.rating_sum = sum;
            });
        }
    }
    for (t, urgent, received, due, responded) in flows::reports(db, whole).await? {
        if let Some(f) = month_of(&spans, received).and_then(|i| month(&mut map, len, &t, i)) {
            f.count_report(urgent, received, due, responded);
        }
    }
    for (t, sent, due_on, answered) in flows::referrals(db, whole).await? {
        if let Some(f) = month_of(&spans, sent).and_then(|i| month(&mut map, len, &t, i)) {
            f.count_referral(due_on, answered, today);
        }
    }
    Ok(Trend {
        months,
        townships: map,
    })
}
