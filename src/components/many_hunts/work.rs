//! The work panel's state machine, shared by the list's bulk change and import and by Recent
//! changes' undo of a change set (`use_work`): where the work stands (`Stage`), its moves
//! (reading or sending with progress, undoing, closing), and the report an undo ends on
//! (`UndoReport`), drawn the same in all three.

use std::future::Future;

use futures::future::LocalBoxFuture;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::report::{Report, ResultLine, report_counts, show_or_tell};
use super::runner::{self, Line, Progress};
use crate::components::notice::{Notice, use_notice};

/// Where a work on many hunts stands. `P` is what it shows before anything is sent (a bulk
/// change's preview, an import's dry run, a change set's undo); `S`, what a report of the
/// writes is about (the change made, the file imported).
#[derive(Clone)]
pub enum Stage<P, S> {
    Choosing,
    /// Reading, writing or undoing, with the progress and Cancel: "Reading 12 of 40…".
    Running(&'static str),
    /// Nothing could be shown: why.
    Failed(String),
    Ready(P),
    Sent(S, Vec<Line>),
    /// An undo of `asked`, which came to `lines`.
    Undone {
        asked: Vec<Line>,
        lines: Vec<Line>,
    },
}

/// A work's stage and progress; its moves end in the stage they lead to, or, when the panel is
/// gone (the user left the page while it ran), in the notice under the header.
pub struct Work<P: 'static, S: 'static> {
    pub stage: RwSignal<Stage<P, S>>,
    pub progress: Progress,
    notice: Notice,
    /// Counts the runs that wrote: the list reads it to load its page again, to show what was
    /// written.
    written: Option<WriteSignal<u32>>,
}

impl<P, S> Clone for Work<P, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, S> Copy for Work<P, S> {}

pub fn use_work<P, S>(written: Option<WriteSignal<u32>>) -> Work<P, S>
where
    P: Send + Sync + 'static,
    S: Send + Sync + 'static,
{
    Work {
        stage: RwSignal::new(Stage::Choosing),
        progress: Progress::new(),
        notice: use_notice(),
        written,
    }
}

impl<P, S> Work<P, S>
where
    P: Send + Sync + 'static,
    S: Send + Sync + 'static,
{
    /// Whether reading, writing or undoing is under way (the controls that start work wait).
    pub fn busy(self) -> Signal<bool> {
        let stage = self.stage;
        Signal::derive(move || stage.with(|stage| matches!(stage, Stage::Running(_))))
    }

    /// Reads what to show (`verb` says so meanwhile); its answer is the next stage.
    pub fn read(self, verb: &'static str, reading: impl Future<Output = Stage<P, S>> + 'static) {
        self.stage.set(Stage::Running(verb));
        // Boxed, here and in `send`: the task is then made once for each kind of work, not once
        // for each place that starts one (less wasm).
        let reading: LocalBoxFuture<'static, Stage<P, S>> = Box::pin(reading);
        spawn_local(async move {
            let next = reading.await;
            self.stage.try_set(next);
        });
    }

    /// Sends the writes (`verb` says so meanwhile); `report` makes the next stage of what they
    /// came to.
    pub fn send(
        self,
        verb: &'static str,
        writes: impl Future<Output = Vec<Line>> + 'static,
        report: impl FnOnce(Vec<Line>) -> Stage<P, S> + 'static,
    ) {
        self.stage.set(Stage::Running(verb));
        let writes: LocalBoxFuture<'static, Vec<Line>> = Box::pin(writes);
        let report: Box<dyn FnOnce(Vec<Line>) -> Stage<P, S>> = Box::new(report);
        spawn_local(async move {
            let lines = writes.await;
            show_or_tell(self.notice, self.stage, lines, report);
            // (`try_`: the list may be gone, left while the run went on.)
            if let Some(written) = self.written {
                written.try_update(|count| *count += 1);
            }
        });
    }

    /// Undoes `asked` (after an undo of it that came to `earlier`, what it has still to send);
    /// `kept`, hunts left alone, are reported with the rest.
    pub fn undo(self, asked: Vec<Line>, earlier: Option<Vec<Line>>, kept: Vec<Line>) {
        let (progress, to_undo) = (self.progress, asked.clone());
        self.send(
            "Undoing",
            async move {
                let mut lines = runner::undo_again(&to_undo, earlier, progress).await;
                lines.extend(kept);
                lines
            },
            |lines| Stage::Undone { asked, lines },
        );
    }

    /// `undo` with nothing kept aside, for `UndoReport`'s buttons.
    pub fn undo_callback(self) -> Callback<(Vec<Line>, Option<Vec<Line>>)> {
        Callback::new(move |(asked, earlier)| self.undo(asked, earlier, Vec::new()))
    }
}

/// "Undone: 3 hunts: 2 changed, 1 conflicted", the report, and the undo's own buttons: the
/// rest sent again, the undo undone, and Close where the panel has one.
#[component]
pub fn UndoReport(
    result_line: &'static str,
    testid: &'static str,
    asked: Vec<Line>,
    lines: Vec<Line>,
    undo: Callback<(Vec<Line>, Option<Vec<Line>>)>,
    #[prop(optional)] on_close: Option<Callback<()>>,
) -> impl IntoView {
    let again = runner::to_resend(&asked, &lines).len();
    let any_undone = lines.iter().any(|line| line.sent.undoable());
    let (done_so_far, for_redo) = (lines.clone(), lines.clone());
    view! {
        <ResultLine id=result_line testid=testid text=format!("Undone: {}.", report_counts(&lines))/>
        <Report lines=lines/>
        {(again > 0).then(|| view! {
            <button type="button" on:click=move |_| undo.run((asked.clone(), Some(done_so_far.clone())))>
                {format!("Undo again the {again} not undone")}
            </button>
        })}
        {any_undone.then(|| view! {
            <button type="button" on:click=move |_| undo.run((for_redo.clone(), None))>"Undo the undo"</button>
        })}
        {on_close.map(|close| view! { <button type="button" on:click=move |_| close.run(())>"Close"</button> })}
    }
}
