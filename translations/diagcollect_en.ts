<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
    <context>
        <name>Categories</name>
        <message>
            <source>Product service logs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Operating system configuration</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>System logs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Event history</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Crash dumps</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This tool's own log</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::cli::List</name>
        <message numerus="yes">
            <source>Profile &quot;%1&quot;: %n item(s)</source>
            <translation>
                <numerusform>Profile &quot;%1&quot;: %n item</numerusform>
                <numerusform>Profile &quot;%1&quot;: %n items</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>dc::core::LeakChecker</name>
        <message>
            <source>Cannot read %1 for the leak check: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot open %1 for the leak check: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot open %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot mask every chosen value in %1.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::core::PseudonymMap</name>
        <message>
            <source>Pseudonym map is not a JSON object: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pseudonym map has an unknown format version.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pseudonym map entry has a malformed token.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot write pseudonym map %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot restrict permissions of %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot read pseudonym map %1: %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::core::Redaction</name>
        <message>
            <source>Cannot read %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot decompress %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>contains NUL bytes (binary data)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>mostly control bytes (binary data)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::core::RedactionRules</name>
        <message>
            <source>Pattern id "%1" must be lower-case kebab-case (a-z, 0-9, -).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pattern id "%1" is the id of a built-in rule.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pattern id "%1" is used twice.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pattern "%1" does not compile: %2 at offset %3.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pattern "%1" matches the empty string.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file is not valid JSON: %1 at offset %2.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file must hold a JSON object.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file: unknown key "%1".</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file: "keywords" must be an array of strings.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file: "patterns" must be an array of objects.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file: every pattern needs a string "id" and a string "regex".</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file: "disable" must be an array of rule ids.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules file: "disable" names an unknown rule.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot read rules file %1: %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::core::StagingRedactor</name>
        <message>
            <source>Cannot read %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>binary data (the profile marks this item as not redactable)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot create a folder for %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The leak check found a value chosen for redaction in %1; no archive was written.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::AboutDialog</name>
        <message>
            <source>About Diagnostics Collector</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;h2&gt;Diagnostics Collector %1&lt;/h2&gt;&lt;p&gt;Gathers what support needs to solve a case, and nothing more: you review and redact everything before it is packaged, and nothing is sent without your confirmation.&lt;/p&gt;&lt;p&gt;Licensed under the GNU General Public License, version 3 or later.&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It is built with these libraries:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Libraries and licences</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Library</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Version</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Licence</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::CategoryChart</name>
        <message>
            <source>Archive contents by category</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1: %2 included, %3 left out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 (%2 left out)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::ChoosePage</name>
        <message>
            <source>unknown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Untick what you do not want to share. Items marked "required" are needed for any support case and stay on. Select an item to see why support needs it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Items to collect</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Item</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Estimated size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Select &amp;all</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Required only</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 (required)</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%1 of %n item(s) selected</source>
            <translation>
                <numerusform>%1 of %n item selected</numerusform>
                <numerusform>%1 of %n items selected</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 of %n item(s) selected, about %2 before compression</source>
            <translation>
                <numerusform>%1 of %n item selected, about %2 before compression</numerusform>
                <numerusform>%1 of %n items selected, about %2 before compression</numerusform>
            </translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Why support needs it: %2&lt;br&gt;&lt;span style="color: gray"&gt;Source: %3&lt;/span&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Start collecting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 (disabled by your administrator's policy)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 (full logs only)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Items shown greyed out are disabled by your administrator's policy and are not collected. %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not collected: disabled by your administrator's policy. %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::CollectPage</name>
        <message>
            <source>Collected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Collected (shortened)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Skipped</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Collection progress</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%v of %m items</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking for personal data:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Progress of the search for personal data</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Items and their status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Item</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Cancel collection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancelling...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Done. Review what was collected before anything is packaged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The collection was cancelled and everything it had gathered was deleted. Go back to start again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Waiting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Starting...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Collecting: %1</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n item(s) collected</source>
            <translation>
                <numerusform>%n item collected</numerusform>
                <numerusform>%n items collected</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n skipped</source>
            <translation>
                <numerusform>%n skipped</numerusform>
                <numerusform>%n skipped</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n failed</source>
            <translation>
                <numerusform>%n failed</numerusform>
                <numerusform>%n failed</numerusform>
            </translation>
        </message>
        <message>
            <source>Looking for personal data and secrets in what was collected...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Elapsed %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Running, %1 s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Collect</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Review</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full logging is on while collecting; the normal level is restored as soon as the collection ends.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::FindingsPage</name>
        <message>
            <source>Findings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Continue to review</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Severity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Finding</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Show in the review</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opens the file this finding was seen in, at the line, in the review&apos;s viewer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking for known problems in what was collected...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What was collected could not be checked for known problems.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Nothing looks wrong: %n check(s) looked at what was collected and found no problem.</source>
            <translation>
                <numerusform>Nothing looks wrong: %n check looked at what was collected and found no problem.</numerusform>
                <numerusform>Nothing looks wrong: %n checks looked at what was collected and found no problem.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n error(s)</source>
            <translation>
                <numerusform>%n error</numerusform>
                <numerusform>%n errors</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n warning(s)</source>
            <translation>
                <numerusform>%n warning</numerusform>
                <numerusform>%n warnings</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n note(s)</source>
            <translation>
                <numerusform>%n note</numerusform>
                <numerusform>%n notes</numerusform>
            </translation>
        </message>
        <message>
            <source>Found in what was collected: %1. Support sees the same findings in the archive. Select one to see why it matters and what to do.</source>
            <extracomment>%1: &quot;1 error, 2 warnings&quot;</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>, </source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n check(s) did not run because their data was not collected.</source>
            <translation>
                <numerusform>%n check did not run because its data was not collected.</numerusform>
                <numerusform>%n checks did not run because their data was not collected.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n check(s) turned off by your administrator&apos;s policy.</source>
            <translation>
                <numerusform>%n check turned off by your administrator&apos;s policy.</numerusform>
                <numerusform>%n checks turned off by your administrator&apos;s policy.</numerusform>
            </translation>
        </message>
        <message>
            <source>Error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Warning</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What to do:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>More information: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checked on this computer while collecting (not in a file).</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n matching line(s)</source>
            <translation>
                <numerusform>%n matching line</numerusform>
                <numerusform>%n matching lines</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>dc::gui::FinishPage</name>
        <message>
            <source>The reviewed files are redacted, packaged and checked once more: no value you chose to hide may be in the archive. Nothing leaves this computer unless you send it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save the archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Folder:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Folder for the archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Browse...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Create &amp;archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Packaging progress</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Archive path</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Archive:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>SHA-256 of the archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>SHA-256:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show in &amp;folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy &amp;path</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pseudonym map:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Receipt:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send to support</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Send to support</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Upload progress</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The archive's path was copied.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent to %1 and verified.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The archive was sent to support. The receipt records where it went.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending failed: %1 The archive is still saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send to support for case %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a folder for the archive (a full path).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redacting and packaging...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No archive was written: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Create &amp;again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not saved</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>The archive was saved (%1). %Ln value(s) were replaced by pseudonyms.</source>
            <translation>
                <numerusform>The archive was saved (%1). %Ln value was replaced by pseudonyms.</numerusform>
                <numerusform>The archive was saved (%1). %Ln values were replaced by pseudonyms.</numerusform>
            </translation>
        </message>
        <message>
            <source>Connecting...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save or send</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pseudonym map</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only for you: it turns pseudonyms back into the real values. It is never sent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Consent receipt</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>S&amp;eal the archive: encrypted so that only support can open it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sealing is required. %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sealing is required by the profile.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending from this tool is turned off. %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Archives are sent only to %1. %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It is sealed: only support can open it.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::GuiApp</name>
        <message>
            <source>The administrator's policy has mistakes: Diagnostics Collector does not run until it is fixed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Diagnostics Collector</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Diagnostics Collector cannot start.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::HistoryDialog</name>
        <message>
            <source>Previous collections</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No collection has been saved on this computer yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The receipts of your previous collections, kept on this computer in %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>When</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Case</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent or saved</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redacted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Receipt details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>sent to %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>saved in %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show &amp;archive folder</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::LogModel</name>
        <message>
            <source>Cannot open %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1: %2 becomes %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1: %2 is kept (%3 not used)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::MainWindow</name>
        <message>
            <source>Diagnostics Collector</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Back</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Previous collections...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Help</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;What is collected?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;About Diagnostics Collector</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>About &amp;Qt</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The profile cannot be used: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Step %1 of %2: %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 - Diagnostics Collector</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::MessageWidget</name>
        <message>
            <source>Dismiss</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dismiss message</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::ReproducePage</name>
        <message>
            <source>Support needs the product's complete logs of the moment the problem happens. For this, the product's logging was raised to full:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What to do now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;ol style="margin-left: 0px; -qt-list-indent: 1;"&gt;&lt;li&gt;Make the problem happen again now, the way it usually happens.&lt;/li&gt;&lt;li&gt;Then click &lt;b&gt;Done&lt;/b&gt;. The collection starts at once, and the normal logging level is restored as soon as it has finished.&lt;/li&gt;&lt;/ol&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time left until the normal logging level is restored</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Done — I reproduced the problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Try again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Logging was not changed.&lt;/b&gt; %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The product's logging could not be raised to full: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full logging was already on for &lt;b&gt;%1&lt;/b&gt; (%2), turned on outside this wizard. It stays on after this round, until it is turned off or its time cap is reached.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: its logging was raised with the product's own command. It is restored with: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: %2 is now "%3"; it was "%4".</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not set</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The product was restarted to pick up the new level, and is restarted again when the level is restored.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The normal level also comes back if you go back, cancel or close this window. Full logging ends at the latest at %1 (the time cap); should this tool end unexpectedly, its next start restores the level.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time left: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time is up.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The time cap was reached and the normal logging level was restored. You can still collect what was logged until now, or go back and start again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reproduce</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Collect &amp;now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 in %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::ReviewPage</name>
        <message>
            <source>text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>compressed text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>binary</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>collected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>shortened</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>skipped</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Collected &amp;files:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Collected files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Findings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Exclude file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Values and pseudonyms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rules</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search all files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Summary</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Include file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The first %1 matches are shown.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%Ln match(es).</source>
            <translation>
                <numerusform>%Ln match.</numerusform>
                <numerusform>%Ln matches.</numerusform>
            </translation>
        </message>
        <message>
            <source>Select a file on the left to see its content.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find in this file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find &amp;next</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the redacted copy &amp;side by side</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Original content</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redacted content</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Selected line; select text in it to redact it everywhere</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Select a line above, then select text here</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Redact selected text everywhere</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Findings in this file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pseudonym</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Line</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Each value found is replaced by the same pseudonym in every file, so support can still follow one address or name through the logs. This map stays on this computer; it is saved next to the archive for you and never packaged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>[host-1], [email-2], or a value</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Look up:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Values and their pseudonyms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Original value</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rule</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Occurrences</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A name, project or anything else to hide</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Text to redact everywhere</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Also redact:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Untick a rule to keep everything it found, in every file.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redaction rules</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What it finds</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Text to find in every collected file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Search</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search results</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;What the archive will hold&lt;/b&gt; (hatched: left out)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>yes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>no</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>in the archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>left out of the archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: %2, %3</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%Ln finding(s)</source>
            <translation>
                <numerusform>%Ln finding</numerusform>
                <numerusform>%Ln findings</numerusform>
            </translation>
        </message>
        <message>
            <source>Binary data cannot be shown or redacted. It is left out unless you include it: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Compressed log: its text is shown in the redacted copy.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redact %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The first %1 of %2 findings are listed; decisions per value or rule apply to all.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;p&gt;&lt;b&gt;%1 values&lt;/b&gt; will be replaced by pseudonyms; %2 kept by your choice.&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;p&gt;By rule: %1&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;p&gt;Your own terms redacted everywhere: %1&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;p&gt;No file is left out.&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>&lt;p&gt;%n file(s) left out of the archive:&lt;/p&gt;</source>
            <translation>
                <numerusform>&lt;p&gt;%n file left out of the archive:&lt;/p&gt;</numerusform>
                <numerusform>&lt;p&gt;%n files left out of the archive:&lt;/p&gt;</numerusform>
            </translation>
        </message>
        <message>
            <source>&lt;p&gt;The archive also holds manifest.json (what was collected and why), summary.html and redaction.json (counts per rule, never a value).&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 will be left out of the archive.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 will be in the archive.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>"%1" is not in this file.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Searching...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 stands for "%2" (%3).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>"%1" becomes %2.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No pseudonym or value matches.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Enter at least two characters to redact.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>"%1" will be redacted in every file. Looking for it...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Review</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Continue to save</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redact (rule)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Always redacted: set by your administrator's policy.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Redaction cannot be turned off:&lt;/b&gt; every value found is replaced by a pseudonym, so the switches to keep a value are locked. %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your administrator's policy adds its own terms and patterns to the redaction; what they find cannot be kept. %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Added by your administrator's policy: %1</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>"%1" is redacted in every file (%Ln occurrence(s) found).</source>
            <translation>
                <numerusform>"%1" is redacted in every file (%Ln occurrence found).</numerusform>
                <numerusform>"%1" is redacted in every file (%Ln occurrences found).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>dc::gui::WelcomePage</name>
        <message>
            <source>what the product itself recorded while the problem happened</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>network, installed applications, services, processes, drives, device and user names, so support knows the environment the product runs in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the operating system's recent logs, which often show the cause of a failure</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>a snapshot of recent system events, to line them up with the problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>reports of programs that crashed, so support can see where they failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>this tool's own log, to tell a collection problem from a system problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This assistant gathers what a support engineer needs to solve your case, and nothing more. You choose what is collected, review everything before it is packaged, and decide where it goes.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What is collected and why</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Where your data goes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Support case ID</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>for example 12345</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Support &amp;case ID (optional):</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Letters, digits, '.', '_' and '-'. It names the archive and goes with an upload.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>I have read this and want to &amp;continue.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Consent to collect diagnostics</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n item(s)</source>
            <translation>
                <numerusform>%n item</numerusform>
                <numerusform>%n items</numerusform>
            </translation>
        </message>
        <message>
            <source>Everything is first copied into a private folder on this computer that only you can read.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Personal data (e-mail and IP addresses, user and host names, passwords and keys) is replaced by pseudonyms. You can review and change every decision before anything is packaged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The archive is saved on this computer, on your Desktop unless you choose another folder. &lt;b&gt;Nothing is sent to anyone without your confirmation on the last page.&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Support uses the data only for your case and deletes it when the case is closed.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Archives and pseudonym maps left on this computer are deleted after %n day(s).</source>
            <translation>
                <numerusform>Archives and pseudonym maps left on this computer are deleted after %n day.</numerusform>
                <numerusform>Archives and pseudonym maps left on this computer are deleted after %n days.</numerusform>
            </translation>
        </message>
        <message>
            <source>Welcome</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Full logging was still on&lt;/b&gt; from an earlier run that did not end normally (or ran past its time cap). It was turned off and the normal logging level restored.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Details: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full logging left on by an earlier run could not be checked or restored: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What did support ask for?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Normal collection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Support asked me for &amp;full logs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>disabled by your administrator's policy</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n item(s) that are collected only in this mode</source>
            <translation>
                <numerusform>%n item that is collected only in this mode</numerusform>
                <numerusform>%n items that are collected only in this mode</numerusform>
            </translation>
        </message>
        <message>
            <source>the product's complete logs: older, rotated and compressed files too, without the size limit per file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the product's crash dumps themselves, whole (binary files that cannot be redacted; you decide in the review whether they go into the archive)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 in %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Full-log mode collects more data than a normal collection&lt;/b&gt;, so the archive is larger and may hold more personal data:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Before collecting, the product's logging is raised to full (%1) and you reproduce the problem. The previous level is recorded first and restored right after the collection, also if you cancel or close the window.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Full logging lasts %n minute(s) at most.</source>
            <translation>
                <numerusform>Full logging lasts %n minute at most.</numerusform>
                <numerusform>Full logging lasts %n minutes at most.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>dc::gui::WhatCollectedDialog</name>
        <message>
            <source>What is collected?</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Profile "%1": %n item(s) on this computer. %2</source>
            <translation>
                <numerusform>Profile "%1": %n item on this computer. %2</numerusform>
                <numerusform>Profile "%1": %n items on this computer. %2</numerusform>
            </translation>
        </message>
        <message>
            <source>Items the profile collects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Item</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Why support needs it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Source</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 (required)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::WizardContext</name>
        <message>
            <source>No profile is loaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set by your administrator's policy (%1).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full-log mode is not allowed on this computer. %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full-log mode is not available: the profile in use does not say how to raise the product's logging.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The normal logging level could not be restored: %1. The next start of this tool tries again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full logging is off again: the normal logging level of %1 was restored.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Details: %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dc::gui::WizardPage</name>
        <message>
            <source>&amp;Next</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ItemReasons</name>
        <message numerus="yes">
            <source>%n file(s) cannot be read: %1</source>
            <translation>
                <numerusform>%n file cannot be read: %1</numerusform>
                <numerusform>%n files cannot be read: %1</numerusform>
            </translation>
        </message>
    </context>
</TS>
