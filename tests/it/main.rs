//! Integration tests, one binary: the real `paideia` binary and library against real SQLite
//! files, a real PostgreSQL server and a real S3-protocol server, each test with its own
//! database, bucket and directory.

mod admin_system;
mod api;
mod backup;
mod backup_sets;
mod calendar_feed;
mod cli;
mod doctor;
mod dump_errors;
mod dumps_untrusted;
mod e2e_browser;
mod e2e_discussions;
mod e2e_editor;
mod e2e_grading;
mod e2e_housekeeping;
mod e2e_todo;
mod files_check;
mod hardening;
mod housekeeping;
mod install;
mod leftovers;
mod lms_assignments;
mod lms_auth;
mod lms_cli;
mod lms_courses;
mod lms_discussions;
mod lms_domain;
mod lms_editor;
mod lms_gradebook;
mod lms_grading;
mod lms_modules;
mod lms_todo;
mod migrations;
mod paths;
mod permissions;
mod s3_faults;
mod serve;
mod site_pages;
mod storage;
mod support;
mod time_zones;
mod unreachable;
mod upgrade;
mod zero_downtime;
