//! The shipped rules against the policy: for each rule, children who are
//! eligible and children just outside (age 15 and 16, grade 2 and 3…),
//! by hand; then each rule against the policy's sentence written as Rust
//! (an oracle) on random files; then malformed rules files.

use proptest::prelude::*;

use super::*;
use crate::child::{
    Difficulty as D, DisabilityType as T, PovertyType as P, SchoolStatus as S,
    UnsupportedReason as U,
};

fn rules() -> Rules {
    Rules::parse(DEFAULT_RULES).expect("the shipped rules are valid")
}

fn child(age: i32, kinds: &[D]) -> Facts {
    Facts {
        age: Some(age),
        difficulties: kinds.to_vec(),
        ..Facts::default()
    }
}

fn poor(age: i32, kind: P) -> Facts {
    Facts {
        poverty_type: Some(kind),
        ..child(age, &[D::Poverty])
    }
}

fn disabled(age: i32, kind: T, grade: u8) -> Facts {
    Facts {
        disability_type: Some(kind),
        disability_grade: Some(grade),
        ..child(age, &[D::Disability])
    }
}

fn in_school(mut facts: Facts, status: S) -> Facts {
    facts.school_status = Some(status);
    facts
}

fn with(mut facts: Facts, kind: D) -> Facts {
    facts.difficulties.push(kind);
    facts
}

fn check(id: &str, eligible: &[Facts], outside: &[Facts]) {
    let rules = rules();
    let rule = rules.get(id).unwrap_or_else(|| panic!("rule {id}"));
    for f in eligible {
        assert!(rule.holds(f), "{id} should hold for {f:?}");
    }
    for f in outside {
        assert!(!rule.holds(f), "{id} should not hold for {f:?}");
    }
}

#[test]
fn the_shipped_file_has_every_guarantee_of_part_three() {
    let rules = rules();
    for id in [
        "orphan_allowance",
        "extreme_poverty",
        "minimum_living",
        "temporary_relief",
        "unsupported_allowance",
        "medical_assistance",
        "insurance_subsidy",
        "education_aid",
        "free_education_12y",
        "school_attendance",
        "disability_screening",
        "rehabilitation_0_6",
        "diagnosis_subsidy",
        "tomorrow_plan",
        "temporary_guardianship",
        "disability_subsidy",
    ] {
        let rule = rules.get(id).unwrap_or_else(|| panic!("rule {id}"));
        assert!(rule.clause.starts_with('三'), "{id}");
        assert!(!rule.fields.is_empty(), "{id}");
    }
    assert_eq!(rules.due_working_days(Department::Police), 5);
    assert_eq!(rules.due_working_days(Department::Health), 10);
}

#[test]
fn orphans_are_eligible_for_the_orphan_allowance() {
    check(
        "orphan_allowance",
        &[
            child(0, &[D::Orphan]),
            child(17, &[D::Orphan, D::Disability]),
        ],
        &[
            child(8, &[D::Unsupported]),
            child(8, &[D::GuardianshipAbsent]),
        ],
    );
}

#[test]
fn extreme_poverty_support_is_for_children_under_sixteen() {
    let unsupported_poor = with(poor(15, P::LowIncome), D::Unsupported);
    check(
        "extreme_poverty",
        &[
            poor(15, P::ExtremePoverty),
            poor(0, P::ExtremePoverty),
            unsupported_poor.clone(),
        ],
        &[
            poor(16, P::ExtremePoverty),
            Facts {
                age: Some(16),
                ..unsupported_poor
            },
            poor(10, P::MinimumLiving),
            child(10, &[D::Unsupported]),
        ],
    );
}

#[test]
fn minimum_living_and_temporary_relief_follow_the_recognised_type() {
    check(
        "minimum_living",
        &[poor(3, P::MinimumLiving), poor(17, P::MinimumLiving)],
        &[
            poor(3, P::LowIncome),
            poor(3, P::ExtremePoverty),
            child(3, &[D::Orphan]),
        ],
    );
    check(
        "temporary_relief",
        &[poor(9, P::TemporaryRelief)],
        &[poor(9, P::MinimumLiving), child(9, &[D::SeriousIllness])],
    );
}

#[test]
fn de_facto_unsupported_children_who_are_not_orphans_get_the_allowance() {
    check(
        "unsupported_allowance",
        &[child(5, &[D::Unsupported])],
        &[
            child(5, &[D::Unsupported, D::Orphan]),
            child(5, &[D::GuardianshipAbsent]),
        ],
    );
}

#[test]
fn medical_assistance_is_for_poor_seriously_ill_and_grade_one_or_two() {
    check(
        "medical_assistance",
        &[
            disabled(4, T::Physical, 1),
            disabled(4, T::Physical, 2),
            with(poor(4, P::LowIncome), D::SeriousIllness),
        ],
        &[
            disabled(4, T::Physical, 3),
            disabled(4, T::Hearing, 4),
            child(4, &[D::SeriousIllness]),
        ],
    );
}

#[test]
fn the_premium_subsidy_covers_orphans_and_minimum_living_and_extreme_poverty() {
    check(
        "insurance_subsidy",
        &[
            child(1, &[D::Orphan]),
            poor(1, P::MinimumLiving),
            poor(1, P::ExtremePoverty),
        ],
        &[
            poor(1, P::LowIncome),
            poor(1, P::TemporaryRelief),
            child(1, &[D::Unsupported]),
        ],
    );
}

#[test]
fn education_aid_is_for_poor_children_of_compulsory_school_age_in_school() {
    let enrolled = |age| in_school(poor(age, P::MinimumLiving), S::Enrolled);
    check(
        "education_aid",
        &[enrolled(6), enrolled(15)],
        &[
            enrolled(5),
            enrolled(16),
            in_school(poor(10, P::MinimumLiving), S::NotEnrolled),
            poor(10, P::MinimumLiving),
            in_school(child(10, &[D::Orphan]), S::Enrolled),
        ],
    );
}

#[test]
fn twelve_years_of_free_education_for_poor_disabled_children_in_school() {
    let pupil = |age| {
        in_school(
            with(
                Facts {
                    poverty_type: Some(P::MinimumLiving),
                    ..disabled(age, T::Visual, 3)
                },
                D::Poverty,
            ),
            S::Enrolled,
        )
    };
    check(
        "free_education_12y",
        &[pupil(6), pupil(17)],
        &[pupil(5), in_school(disabled(10, T::Visual, 3), S::Enrolled)],
    );
}

#[test]
fn a_child_of_compulsory_school_age_not_in_school_is_a_gap() {
    let out = |age| in_school(child(age, &[D::Poverty]), S::NotEnrolled);
    check(
        "school_attendance",
        &[out(6), out(15)],
        &[
            out(5),
            out(16),
            in_school(child(10, &[D::Poverty]), S::Enrolled),
            child(10, &[D::Poverty]),
        ],
    );
}

#[test]
fn screening_is_free_up_to_six_for_a_suspected_disability() {
    let suspected = |age| Facts {
        suspected_disability: true,
        ..child(age, &[D::Poverty])
    };
    check(
        "disability_screening",
        &[suspected(0), suspected(6)],
        &[
            suspected(7),
            child(3, &[D::Poverty]),
            Facts {
                suspected_disability: true,
                ..disabled(3, T::Hearing, 2)
            },
        ],
    );
}

#[test]
fn rehabilitation_up_to_six_for_the_listed_disabilities_and_autism() {
    check(
        "rehabilitation_0_6",
        &[
            disabled(6, T::Autism, 4),
            disabled(0, T::Hearing, 1),
            disabled(3, T::Intellectual, 3),
        ],
        &[
            disabled(7, T::Autism, 4),
            disabled(3, T::Mental, 2),
            disabled(3, T::Multiple, 1),
        ],
    );
}

#[test]
fn a_diagnosis_subsidy_for_poor_children_suspected_of_a_disability() {
    let suspected = |f: Facts| Facts {
        suspected_disability: true,
        ..f
    };
    check(
        "diagnosis_subsidy",
        &[suspected(poor(12, P::LowIncome))],
        &[
            poor(12, P::LowIncome),
            suspected(child(12, &[D::Orphan])),
            suspected(with(disabled(12, T::Visual, 2), D::Poverty)),
        ],
    );
}

#[test]
fn the_tomorrow_plan_is_for_disabled_orphans() {
    check(
        "tomorrow_plan",
        &[with(disabled(9, T::Physical, 3), D::Orphan)],
        &[disabled(9, T::Physical, 3), child(9, &[D::Orphan])],
    );
}

#[test]
fn temporary_guardianship_when_parents_are_held_and_nobody_cares_for_the_child() {
    let held = |reason| Facts {
        unsupported_reason: Some(reason),
        ..child(7, &[D::Unsupported, D::GuardianshipAbsent])
    };
    check(
        "temporary_guardianship",
        &[held(U::Imprisoned), held(U::DrugRehab), held(U::Detained)],
        &[
            held(U::Missing),
            Facts {
                unsupported_reason: Some(U::Imprisoned),
                ..child(7, &[D::Unsupported])
            },
        ],
    );
}

#[test]
fn the_two_disability_subsidies_for_grade_one_or_two_or_poor_families() {
    check(
        "disability_subsidy",
        &[
            disabled(10, T::Speech, 2),
            with(
                Facts {
                    poverty_type: Some(P::MinimumLiving),
                    ..disabled(10, T::Speech, 4)
                },
                D::Poverty,
            ),
        ],
        &[disabled(10, T::Speech, 3), poor(10, P::MinimumLiving)],
    );
}

fn any_facts() -> impl Strategy<Value = Facts> {
    (
        proptest::option::of(0i32..18),
        proptest::sample::subsequence(D::ALL.to_vec(), 0..=4),
        proptest::option::of(proptest::sample::select(P::ALL.to_vec())),
        proptest::option::of(proptest::sample::select(T::ALL.to_vec())),
        proptest::option::of(1u8..=4),
        proptest::option::of(proptest::sample::select(U::ALL.to_vec())),
        proptest::option::of(proptest::sample::select(S::ALL.to_vec())),
        any::<bool>(),
    )
        .prop_map(|(age, kinds, p, t, g, u, s, suspected)| Facts {
            age,
            difficulties: kinds,
            poverty_type: p,
            disability_type: t,
            disability_grade: g,
            unsupported_reason: u,
            school_status: s,
            suspected_disability: suspected,
        })
}

/// Each rule's policy sentence written as Rust, independently of its
/// condition in the rules file.
fn oracle(id: &str, f: &Facts) -> bool {
    let has = |d| f.difficulties.contains(&d);
    let age = |low: i32, high: i32| f.age.is_some_and(|a| (low..=high).contains(&a));
    let grade_at_most_2 = f.disability_grade.is_some_and(|g| g <= 2);
    let enrolled = f.school_status == Some(S::Enrolled);
    let p = f.poverty_type;
    match id {
        "orphan_allowance" => has(D::Orphan),
        "extreme_poverty" => {
            age(0, 15) && (p == Some(P::ExtremePoverty) || (has(D::Unsupported) && has(D::Poverty)))
        }
        "minimum_living" => p == Some(P::MinimumLiving),
        "temporary_relief" => p == Some(P::TemporaryRelief),
        "unsupported_allowance" => has(D::Unsupported) && !has(D::Orphan),
        "medical_assistance" => (has(D::SeriousIllness) && has(D::Poverty)) || grade_at_most_2,
        "insurance_subsidy" => {
            has(D::Orphan) || matches!(p, Some(P::MinimumLiving | P::ExtremePoverty))
        }
        "education_aid" => has(D::Poverty) && age(6, 15) && enrolled,
        "free_education_12y" => has(D::Disability) && has(D::Poverty) && age(6, 17) && enrolled,
        "school_attendance" => age(6, 15) && f.school_status == Some(S::NotEnrolled),
        "disability_screening" => age(0, 6) && f.suspected_disability && !has(D::Disability),
        "rehabilitation_0_6" => {
            age(0, 6)
                && matches!(
                    f.disability_type,
                    Some(
                        T::Visual
                            | T::Hearing
                            | T::Speech
                            | T::Intellectual
                            | T::Physical
                            | T::Autism
                    )
                )
        }
        "diagnosis_subsidy" => has(D::Poverty) && f.suspected_disability && !has(D::Disability),
        "tomorrow_plan" => has(D::Orphan) && has(D::Disability),
        "temporary_guardianship" => {
            matches!(
                f.unsupported_reason,
                Some(U::Detained | U::Imprisoned | U::DrugRehab)
            ) && has(D::GuardianshipAbsent)
        }
        "disability_subsidy" => {
            has(D::Disability)
                && (grade_at_most_2 || matches!(p, Some(P::MinimumLiving | P::ExtremePoverty)))
        }
        other => panic!("no oracle for {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_shipped_rule_agrees_with_the_policy_on_any_file(facts in any_facts()) {
        for rule in rules().all() {
            prop_assert_eq!(rule.holds(&facts), oracle(&rule.id, &facts), "rule {}", rule.id);
        }
    }

    #[test]
    fn a_rule_that_reads_no_age_does_not_change_with_a_birthday(facts in any_facts(), age in 0i32..17) {
        // Only rules that read the age can change when a birthday passes.
        let rules = rules();
        let young = Facts { age: Some(age), ..facts.clone() };
        let old = Facts { age: Some(age + 1), ..facts };
        for rule in rules.all().iter().filter(|r| !r.condition.reads_age()) {
            prop_assert_eq!(rule.holds(&young), rule.holds(&old), "rule {}", rule.id);
        }
    }
}

#[test]
fn a_malformed_rules_file_is_refused_naming_the_rule() {
    let rule = |id: &str, body: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\nname = \"名\"\ndepartment = \"education\"\nseverity = 2\n\
             clause = \"三（三）\"\nsource = \"句\"\nfields = [\"name\"]\n{body}\n"
        )
    };
    let ok = rule("fine", "when = \"orphan\"");
    assert!(Rules::parse(&ok).is_ok());
    for (file, wanted) in [
        (
            format!("{ok}{}", rule("bad_field", "when = \"height > 3\"")),
            "rule “bad_field”: condition “height > 3”: 未知的字段“height”",
        ),
        (
            format!(
                "{ok}{}",
                rule("bad_value", "when = \"school_status = home\"")
            ),
            "rule “bad_value”",
        ),
        (rule("no_when", ""), "rule “no_when”: missing field `when`"),
        (
            rule("bad_department", "when = \"orphan\"").replace("education", "school"),
            "rule “bad_department”: unknown department “school”",
        ),
        (
            format!("{ok}{}", rule("fine", "when = \"poverty\"")),
            "rule “fine”: the id is used twice",
        ),
        (
            rule("extra_key", "when = \"orphan\"\ncolour = \"red\""),
            "rule “extra_key”",
        ),
        (
            rule("bad_sev", "when = \"orphan\"").replace("severity = 2", "severity = 9"),
            "rule “bad_sev”: severity",
        ),
        (
            rule("bad_fields", "when = \"orphan\"").replace("[\"name\"]", "[\"shoe_size\"]"),
            "rule “bad_fields”: unknown field “shoe_size”",
        ),
        (String::new(), "no [[rule]]"),
    ] {
        let err = Rules::parse(&file).expect_err(wanted).to_string();
        assert!(err.contains(wanted), "wanted {wanted:?} in {err:?}");
    }
}
