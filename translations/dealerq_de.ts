<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AddJobWidget</name>
    <message>
        <source>Run next</source>
        <translation>Als Nächstes ausführen</translation>
    </message>
    <message>
        <source>Add to queue</source>
        <translation>Einreihen</translation>
    </message>
    <message>
        <source>e.g. 12284</source>
        <translation>z. B. 12284</translation>
    </message>
    <message>
        <source>Put the job at the front of the queue</source>
        <translation>Den Auftrag an den Anfang der Warteschlange stellen</translation>
    </message>
    <message>
        <source>&amp;Dealer ID:</source>
        <translation>&amp;Händler-ID:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <source>Could not queue the job: %1</source>
        <translation>Der Auftrag konnte nicht eingereiht werden: %1</translation>
    </message>
    <message>
        <source>Not queued: job %1 already covers dealer %2, %3, %4.</source>
        <translation>Nicht eingereiht: Auftrag %1 deckt Händler %2, %3, %4 bereits ab.</translation>
    </message>
    <message>
        <source>Queued job %1: dealer %2, %3, %4, to run next.</source>
        <translation>Auftrag %1 eingereiht: Händler %2, %3, %4, wird als Nächstes ausgeführt.</translation>
    </message>
    <message>
        <source>Queued job %1: dealer %2, %3, %4.</source>
        <translation>Auftrag %1 eingereiht: Händler %2, %3, %4.</translation>
    </message>
</context>
<context>
    <name>ApiTokensWidget</name>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt benutzt</translation>
    </message>
    <message>
        <source>name, e.g. grafana</source>
        <translation>Name, z. B. grafana</translation>
    </message>
    <message>
        <source>read: GET calls only</source>
        <translation>read: nur GET-Aufrufe</translation>
    </message>
    <message>
        <source>operate: every call</source>
        <translation>operate: alle Aufrufe</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the new token to the clipboard</source>
        <translation>Das neue Token in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>New token, shown this once:</source>
        <translation>Neues Token, nur dieses eine Mal gezeigt:</translation>
    </message>
    <message>
        <source>Cannot read the API tokens: %1</source>
        <translation>Die API-Tokens können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Added API token %1. Copy it now: it is not shown again.</source>
        <translation>API-Token %1 hinzugefügt. Jetzt kopieren: Es wird nicht noch einmal gezeigt.</translation>
    </message>
    <message>
        <source>Revoked API token %1: it no longer works.</source>
        <translation>API-Token %1 widerrufen: Es gilt nicht mehr.</translation>
    </message>
    <message>
        <source>Revoke API token</source>
        <translation>API-Token widerrufen</translation>
    </message>
    <message>
        <source>Revoke API token &quot;%1&quot;?

Every script or dashboard that uses it is refused from then on. This cannot be undone: a new token has to be added and handed out.</source>
        <translation>API-Token &quot;%1&quot; widerrufen?

Jedes Skript und jedes Dashboard, das es benutzt, wird von da an abgewiesen. Das lässt sich nicht rückgängig machen: Ein neues Token muss hinzugefügt und weitergegeben werden.</translation>
    </message>
    <message>
        <source>&amp;Revoke Token</source>
        <translation>Token &amp;widerrufen</translation>
    </message>
</context>
<context>
    <name>AuditPanel</name>
    <message>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <source>Show only this kind of change</source>
        <translation>Nur diese Art von Änderung zeigen</translation>
    </message>
    <message>
        <source>Actor, e.g. window:user@host</source>
        <translation>Urheber, z. B. window:user@host</translation>
    </message>
    <message>
        <source>Show only the changes of this actor, written exactly as listed</source>
        <translation>Nur die Änderungen dieses Urhebers zeigen, genau so geschrieben wie aufgeführt</translation>
    </message>
    <message>
        <source>Could not read the audit log: %1</source>
        <translation>Das Änderungsprotokoll konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No entries</source>
        <translation>Keine Einträge</translation>
    </message>
    <message>
        <source>Entries %1–%2 of %3</source>
        <translation>Einträge %1–%2 von %3</translation>
    </message>
    <message>
        <source>Newer</source>
        <translation>Neuere</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Ältere</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Jobs queued</source>
        <translation>Aufträge eingereiht</translation>
    </message>
    <message>
        <source>Jobs cancelled</source>
        <translation>Aufträge abgebrochen</translation>
    </message>
    <message>
        <source>Jobs retried</source>
        <translation>Aufträge erneut eingereiht</translation>
    </message>
    <message>
        <source>Job moved</source>
        <translation>Auftrag verschoben</translation>
    </message>
    <message>
        <source>Queue paused</source>
        <translation>Warteschlange angehalten</translation>
    </message>
    <message>
        <source>Queue resumed</source>
        <translation>Warteschlange fortgesetzt</translation>
    </message>
    <message>
        <source>History cleared</source>
        <translation>Verlauf geleert</translation>
    </message>
    <message>
        <source>Finished jobs removed</source>
        <translation>Beendete Aufträge entfernt</translation>
    </message>
    <message>
        <source>Schedule added</source>
        <translation>Zeitplan angelegt</translation>
    </message>
    <message>
        <source>Schedule changed</source>
        <translation>Zeitplan geändert</translation>
    </message>
    <message>
        <source>Schedule removed</source>
        <translation>Zeitplan gelöscht</translation>
    </message>
    <message>
        <source>Schedule fired</source>
        <translation>Zeitplan ausgelöst</translation>
    </message>
    <message>
        <source>API token added</source>
        <translation>API-Token angelegt</translation>
    </message>
    <message>
        <source>API token revoked</source>
        <translation>API-Token widerrufen</translation>
    </message>
    <message>
        <source>Jobs %1, …</source>
        <translation>Aufträge %1, …</translation>
    </message>
    <message>
        <source>Jobs %1</source>
        <translation>Aufträge %1</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
</context>
<context>
    <name>BulkAddWidget</name>
    <message>
        <source>Run next</source>
        <translation>Als Nächstes ausführen</translation>
    </message>
    <message>
        <source>Not queued: %1</source>
        <translation>Nicht eingereiht: %1</translation>
    </message>
    <message>
        <source>Queuing asks first.</source>
        <translation>Vor dem Einreihen wird nachgefragt.</translation>
    </message>
    <message>
        <source>Queue every valid ID in the pasted order (Ctrl+Return)</source>
        <translation>Jede gültige ID in der eingefügten Reihenfolge einreihen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>T&amp;ype:</source>
        <translation>T&amp;yp:</translation>
    </message>
    <message>
        <source>Fro&amp;m:</source>
        <translation>V&amp;on:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Bis:</translation>
    </message>
    <message>
        <source>Queue jobs</source>
        <translation>Aufträge einreihen</translation>
    </message>
    <message numerus="yes">
        <source>Queue %Ln job(s)</source>
        <translation>
            <numerusform>%Ln Auftrag einreihen</numerusform>
            <numerusform>%Ln Aufträge einreihen</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to queue: paste some dealer IDs first.</source>
        <translation>Nichts einzureihen: Fügen Sie zuerst Händler-IDs ein.</translation>
    </message>
    <message>
        <source>Nothing to queue: every ID is invalid.</source>
        <translation>Nichts einzureihen: Jede ID ist ungültig.</translation>
    </message>
    <message>
        <source>Queue IDs split from one line?</source>
        <translation>Aus einer Zeile getrennte IDs einreihen?</translation>
    </message>
    <message>
        <source>Queue them as separate IDs?</source>
        <translation>Sollen sie als einzelne IDs eingereiht werden?</translation>
    </message>
    <message>
        <source>Queue Them Apart</source>
        <translation>Einzeln einreihen</translation>
    </message>
    <message>
        <source>Nothing queued: %1</source>
        <translation>Nichts eingereiht: %1</translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s).</source>
        <translation>
            <numerusform>%Ln Auftrag eingereiht.</numerusform>
            <numerusform>%Ln Aufträge eingereiht.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 as job %2</source>
        <translation>%1 als Auftrag %2</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message numerus="yes">
        <source>Skipped %Ln already queued (%1).</source>
        <translation>
            <numerusform>%Ln bereits eingereihte ID übersprungen (%1).</numerusform>
            <numerusform>%Ln bereits eingereihte IDs übersprungen (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln invalid ID(s) not queued: left in the box to be corrected.</source>
        <translation>
            <numerusform>%Ln ungültige ID nicht eingereiht: Sie bleibt zur Korrektur im Feld.</numerusform>
            <numerusform>%Ln ungültige IDs nicht eingereiht: Sie bleiben zur Korrektur im Feld.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartWidget</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>kein Wert</translation>
    </message>
</context>
<context>
    <name>CoverageTableModel</name>
    <message>
        <source>Fresh</source>
        <translation>Aktuell</translation>
    </message>
    <message>
        <source>Stale</source>
        <translation>Veraltet</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>Scheitert</translation>
    </message>
    <message>
        <source>Never fetched</source>
        <translation>Nie abgerufen</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Dealer</source>
        <translation>Händler</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Freshness</source>
        <translation>Aktualität</translation>
    </message>
    <message>
        <source>Last success</source>
        <translation>Letzter Erfolg</translation>
    </message>
    <message>
        <source>Covered up to</source>
        <translation>Abgedeckt bis</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Last status</source>
        <translation>Letzter Status</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
</context>
<context>
    <name>DashboardPanel</name>
    <message>
        <source>Finished jobs</source>
        <translation>Beendete Aufträge</translation>
    </message>
    <message>
        <source>Records fetched</source>
        <translation>Abgerufene Datensätze</translation>
    </message>
    <message>
        <source>Job duration (completed jobs)</source>
        <translation>Auftragsdauer (erledigte Aufträge)</translation>
    </message>
    <message>
        <source>Last 24 hours, by hour</source>
        <translation>Letzte 24 Stunden, stündlich</translation>
    </message>
    <message>
        <source>Last 30 days, by day</source>
        <translation>Letzte 30 Tage, täglich</translation>
    </message>
    <message>
        <source>Which hours or days the charts show; hover over a bar or point for its exact figures</source>
        <translation>Welche Stunden oder Tage die Diagramme zeigen; zeigen Sie auf einen Balken oder Punkt für seine genauen Zahlen</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>Could not read the figures: %1</source>
        <translation>Die Zahlen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1, from %2</source>
        <translation>%1, ab %2</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gescheitert</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Median (p50)</source>
        <translation>Median (p50)</translation>
    </message>
    <message>
        <source>95th percentile (p95)</source>
        <translation>95. Perzentil (p95)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
</context>
<context>
    <name>DealerIdListEdit</name>
    <message>
        <source>Invalid: %1</source>
        <translation>Ungültig: %1</translation>
    </message>
    <message>
        <source>Paste dealer IDs: one per line, or separated by commas, semicolons, tabs or spaces</source>
        <translation>Händler-IDs einfügen: eine pro Zeile oder getrennt durch Kommas, Semikolons, Tabulatoren oder Leerzeichen</translation>
    </message>
    <message>
        <source>%1 valid · %2 duplicate · %3 invalid</source>
        <translation>%1 gültig · %2 doppelt · %3 ungültig</translation>
    </message>
    <message>
        <source>… and %1 more, underlined in the text</source>
        <translation>… und %1 weitere, im Text unterstrichen</translation>
    </message>
    <message>
        <source>Line %1 (&quot;%2&quot;) splits into %3 dealer IDs, while the other lines hold one each.</source>
        <translation>Zeile %1 („%2“) zerfällt in %3 Händler-IDs, während die anderen Zeilen je eine enthalten.</translation>
    </message>
    <message>
        <source>%1 lines split into several dealer IDs (the first: line %2, &quot;%3&quot;), while the other lines hold one each.</source>
        <translation>%1 Zeilen zerfallen in mehrere Händler-IDs (die erste: Zeile %2, „%3“), während die anderen Zeilen je eine enthalten.</translation>
    </message>
</context>
<context>
    <name>DealersPanel</name>
    <message>
        <source>Fetch since last success</source>
        <translation>Seit letztem Erfolg abrufen</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Search dealer ID</source>
        <translation>Händler-ID suchen</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <source>Any freshness</source>
        <translation>Jede Aktualität</translation>
    </message>
    <message>
        <source>Stale</source>
        <translation>Veraltet</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>Scheitert</translation>
    </message>
    <message>
        <source>Never fetched</source>
        <translation>Nie abgerufen</translation>
    </message>
    <message>
        <source>Stale: last success older than the stale hours in Settings; failing: the latest job failed; never fetched: no success yet</source>
        <translation>Veraltet: letzter Erfolg älter als die Stunden in den Einstellungen; scheitert: der letzte Auftrag ist gescheitert; nie abgerufen: noch kein Erfolg</translation>
    </message>
    <message>
        <source>Queue a job for each selected dealer and type, from where its data is covered up to now (the day before today when it has none)</source>
        <translation>Für jeden gewählten Händler und Typ einen Auftrag einreihen, von dort, wo seine Daten abgedeckt sind, bis jetzt (ohne Abdeckung: der Tag vor heute)</translation>
    </message>
    <message>
        <source>Could not read the dealers&apos; coverage: %1</source>
        <translation>Die Abdeckung der Händler konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No dealers</source>
        <translation>Keine Händler</translation>
    </message>
    <message>
        <source>Rows %1–%2 of %3</source>
        <translation>Zeilen %1–%2 von %3</translation>
    </message>
    <message>
        <source>Select the dealers to fetch first.</source>
        <translation>Wählen Sie zuerst die abzurufenden Händler.</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Not queued: %1</source>
        <translation>Nicht eingereiht: %1</translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s) since the last success.</source>
        <translation>
            <numerusform>%Ln Auftrag seit dem letzten Erfolg eingereiht.</numerusform>
            <numerusform>%Ln Aufträge seit dem letzten Erfolg eingereiht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %Ln job(s) already queued.</source>
        <translation>
            <numerusform>%Ln bereits eingereihter Auftrag übersprungen.</numerusform>
            <numerusform>%Ln bereits eingereihte Aufträge übersprungen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DesktopNotifier</name>
    <message>
        <source>Click to see the failed jobs.</source>
        <translation>Klicken Sie, um die gescheiterten Aufträge zu sehen.</translation>
    </message>
    <message>
        <source>Queue empty</source>
        <translation>Warteschlange leer</translation>
    </message>
    <message>
        <source>Show failed jobs</source>
        <translation>Gescheiterte Aufträge zeigen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s) failed</source>
        <translation>
            <numerusform>%Ln Auftrag gescheitert</numerusform>
            <numerusform>%Ln Aufträge gescheitert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The queue is empty: %Ln job(s) completed, %1 failed.</source>
        <translation>
            <numerusform>Die Warteschlange ist leer: %Ln Auftrag erledigt, %1 gescheitert.</numerusform>
            <numerusform>Die Warteschlange ist leer: %Ln Aufträge erledigt, %1 gescheitert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s) completed, %1 failed.</source>
        <translation>
            <numerusform>%Ln Auftrag erledigt, %1 gescheitert.</numerusform>
            <numerusform>%Ln Aufträge erledigt, %1 gescheitert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Stop export</source>
        <translation>Export abbrechen</translation>
    </message>
    <message>
        <source>All finished</source>
        <translation>Alle beendeten</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Erledigte</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gescheiterte</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochene</translation>
    </message>
    <message>
        <source>Dealer ID</source>
        <translation>Händler-ID</translation>
    </message>
    <message>
        <source>Show only this dealer&apos;s jobs (exact ID)</source>
        <translation>Nur die Aufträge dieses Händlers zeigen (genaue ID)</translation>
    </message>
    <message>
        <source>&amp;Retry Selected</source>
        <translation>Auswahl &amp;wiederholen</translation>
    </message>
    <message>
        <source>Queue the selected failed or cancelled jobs again (Ctrl+R)</source>
        <translation>Die ausgewählten gescheiterten oder abgebrochenen Aufträge erneut einreihen (Strg+R)</translation>
    </message>
    <message>
        <source>C&amp;lear Completed…</source>
        <translation>Beendete &amp;leeren …</translation>
    </message>
    <message>
        <source>Remove completed, failed and cancelled jobs from the history</source>
        <translation>Erledigte, gescheiterte und abgebrochene Aufträge aus dem Verlauf entfernen</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>&amp;CSV exportieren …</translation>
    </message>
    <message>
        <source>Write every job in the store to a CSV file (Ctrl+E)</source>
        <translation>Alle gespeicherten Aufträge in eine CSV-Datei schreiben (Strg+E)</translation>
    </message>
    <message>
        <source>Export &amp;Filtered CSV…</source>
        <translation>&amp;Gefilterte als CSV exportieren …</translation>
    </message>
    <message>
        <source>Write only the jobs the history filter shows</source>
        <translation>Nur die Aufträge schreiben, die der Verlaufsfilter zeigt</translation>
    </message>
    <message>
        <source>Export for &amp;Spreadsheets (.xlsx)…</source>
        <translation>Für &amp;Tabellenkalkulation exportieren (.xlsx) …</translation>
    </message>
    <message>
        <source>Write every job in the store to an Excel workbook: dealer IDs stay text, times are date cells</source>
        <translation>Alle gespeicherten Aufträge in eine Excel-Arbeitsmappe schreiben: Händler-IDs bleiben Text, Zeiten werden Datumszellen</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Details …</translation>
    </message>
    <message>
        <source>Could not read more of the history: %1</source>
        <translation>Weitere Einträge des Verlaufs konnten nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s)</source>
        <translation>
            <numerusform>%Ln Auftrag</numerusform>
            <numerusform>%Ln Aufträge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s) again.</source>
        <translation>
            <numerusform>%Ln Auftrag erneut eingereiht.</numerusform>
            <numerusform>%Ln Aufträge erneut eingereiht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not retried: %1</source>
        <translation>Nicht wiederholt: %1</translation>
    </message>
    <message>
        <source>Could not count the finished jobs: %1</source>
        <translation>Die beendeten Aufträge konnten nicht gezählt werden: %1</translation>
    </message>
    <message>
        <source>The history is empty: nothing to clear.</source>
        <translation>Der Verlauf ist leer: Es gibt nichts zu leeren.</translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln finished job(s) — completed, failed and cancelled — and their logs from the history?</source>
        <translation>
            <numerusform>%Ln beendeten Auftrag – erledigt, gescheitert oder abgebrochen – samt Protokoll aus dem Verlauf entfernen?</numerusform>
            <numerusform>%Ln beendete Aufträge – erledigte, gescheiterte und abgebrochene – samt Protokollen aus dem Verlauf entfernen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The history shows %Ln finished job(s) (%1).</source>
        <translation>
            <numerusform>Der Verlauf zeigt %Ln beendeten Auftrag (%1).</numerusform>
            <numerusform>Der Verlauf zeigt %Ln beendete Aufträge (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove those, or all %Ln — completed, failed and cancelled — with their logs?</source>
        <translation>
            <numerusform>Diese entfernen oder alle %Ln – erledigt, gescheitert oder abgebrochen – samt Protokoll?</numerusform>
            <numerusform>Diese entfernen oder alle %Ln – erledigte, gescheiterte und abgebrochene – samt Protokollen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Queued and running jobs stay. This cannot be undone.</source>
        <translation>Wartende und laufende Aufträge bleiben erhalten. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Clear completed jobs</source>
        <translation>Beendete Aufträge leeren</translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln job(s) shown</source>
        <translation>
            <numerusform>%Ln angezeigten Auftrag entfernen</numerusform>
            <numerusform>%Ln angezeigte Aufträge entfernen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove all %Ln job(s)</source>
        <translation>
            <numerusform>%Ln Auftrag entfernen</numerusform>
            <numerusform>Alle %Ln Aufträge entfernen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln job(s)</source>
        <translation>
            <numerusform>%Ln Auftrag entfernen</numerusform>
            <numerusform>%Ln Aufträge entfernen</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not clear the history: %1</source>
        <translation>Der Verlauf konnte nicht geleert werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>Removed %Ln finished job(s) from the history.</source>
        <translation>
            <numerusform>%Ln beendeten Auftrag aus dem Verlauf entfernt.</numerusform>
            <numerusform>%Ln beendete Aufträge aus dem Verlauf entfernt.</numerusform>
        </translation>
    </message>
    <message>
        <source>dealer %1</source>
        <translation>Händler %1</translation>
    </message>
    <message>
        <source>Export the filtered jobs for spreadsheets</source>
        <translation>Gefilterte Aufträge für Tabellenkalkulation exportieren</translation>
    </message>
    <message>
        <source>Export every job for spreadsheets</source>
        <translation>Alle Aufträge für Tabellenkalkulation exportieren</translation>
    </message>
    <message>
        <source>Export the filtered jobs as CSV</source>
        <translation>Gefilterte Aufträge als CSV exportieren</translation>
    </message>
    <message>
        <source>Export every job as CSV</source>
        <translation>Alle Aufträge als CSV exportieren</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel-Arbeitsmappen (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln job(s) to %1.</source>
        <translation>
            <numerusform>%Ln Auftrag nach %1 exportiert.</numerusform>
            <numerusform>%Ln Aufträge nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <source>Show only jobs of this fetch type</source>
        <translation>Nur Aufträge dieses Abruftyps zeigen</translation>
    </message>
    <message>
        <source>Any error</source>
        <translation>Jeder Fehler</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>HTTP error</source>
        <translation>HTTP-Fehler</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Unreadable answer</source>
        <translation>Unlesbare Antwort</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <source>Show only jobs that ended with this kind of error</source>
        <translation>Nur Aufträge zeigen, die mit dieser Fehlerart endeten</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Jederzeit</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Between…</source>
        <translation>Zwischen …</translation>
    </message>
    <message>
        <source>Show only jobs that finished in this time</source>
        <translation>Nur Aufträge zeigen, die in dieser Zeit endeten</translation>
    </message>
    <message>
        <source>Finished on or after this day (local time)</source>
        <translation>An oder nach diesem Tag beendet (Ortszeit)</translation>
    </message>
    <message>
        <source>Finished on or before this day (local time)</source>
        <translation>An oder vor diesem Tag beendet (Ortszeit)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Show only jobs whose dealer ID or error message contains this text (any case)</source>
        <translation>Nur Aufträge zeigen, deren Händler-ID oder Fehlermeldung diesen Text enthält (Groß-/Kleinschreibung egal)</translation>
    </message>
    <message>
        <source>Retry &amp;Matching…</source>
        <translation>&amp;Passende wiederholen …</translation>
    </message>
    <message>
        <source>Queue again every failed job the history&apos;s filter matches (the cancelled ones when it shows cancelled jobs), not only the rows loaded</source>
        <translation>Jeden gescheiterten Auftrag, auf den der Verlaufsfilter passt, erneut einreihen (die abgebrochenen, wenn er abgebrochene Aufträge zeigt), nicht nur die geladenen Zeilen</translation>
    </message>
    <message>
        <source>Remove &amp;Older Than…</source>
        <translation>Ältere en&amp;tfernen …</translation>
    </message>
    <message>
        <source>Remove the finished jobs the history&apos;s filter matches that finished more than a number of days ago</source>
        <translation>Die beendeten Aufträge entfernen, auf die der Verlaufsfilter passt und die vor mehr als einer Anzahl Tage endeten</translation>
    </message>
    <message>
        <source>type %1</source>
        <translation>Typ %1</translation>
    </message>
    <message>
        <source>containing “%1”</source>
        <translation>mit „%1“</translation>
    </message>
    <message>
        <source>finished from %1 to before %2</source>
        <translation>beendet ab %1 bis vor %2</translation>
    </message>
    <message>
        <source>finished since %1</source>
        <translation>beendet seit %1</translation>
    </message>
    <message>
        <source>finished before %1</source>
        <translation>beendet vor %1</translation>
    </message>
    <message>
        <source>Could not count the jobs to retry: %1</source>
        <translation>Die zu wiederholenden Aufträge konnten nicht gezählt werden: %1</translation>
    </message>
    <message>
        <source>No cancelled job matches the filter: nothing to retry.</source>
        <translation>Kein abgebrochener Auftrag passt auf den Filter: Es gibt nichts zu wiederholen.</translation>
    </message>
    <message>
        <source>No failed job matches the filter: nothing to retry.</source>
        <translation>Kein gescheiterter Auftrag passt auf den Filter: Es gibt nichts zu wiederholen.</translation>
    </message>
    <message numerus="yes">
        <source>Retry %Ln cancelled job(s) matching the filter (%1)?</source>
        <translation>
            <numerusform>%Ln abgebrochenen Auftrag, der auf den Filter passt (%1), wiederholen?</numerusform>
            <numerusform>%Ln abgebrochene Aufträge, die auf den Filter passen (%1), wiederholen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry all %Ln cancelled job(s)?</source>
        <translation>
            <numerusform>Den %Ln abgebrochenen Auftrag wiederholen?</numerusform>
            <numerusform>Alle %Ln abgebrochenen Aufträge wiederholen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry %Ln failed job(s) matching the filter (%1)?</source>
        <translation>
            <numerusform>%Ln gescheiterten Auftrag, der auf den Filter passt (%1), wiederholen?</numerusform>
            <numerusform>%Ln gescheiterte Aufträge, die auf den Filter passen (%1), wiederholen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry all %Ln failed job(s)?</source>
        <translation>
            <numerusform>Den %Ln gescheiterten Auftrag wiederholen?</numerusform>
            <numerusform>Alle %Ln gescheiterten Aufträge wiederholen?</numerusform>
        </translation>
    </message>
    <message>
        <source>They go to the end of the queue; a job whose twin is queued already is skipped.</source>
        <translation>Sie kommen ans Ende der Warteschlange; ein Auftrag, dessen Zwilling schon wartet, wird übersprungen.</translation>
    </message>
    <message>
        <source>Retry matching jobs</source>
        <translation>Passende Aufträge wiederholen</translation>
    </message>
    <message numerus="yes">
        <source>Retry %Ln job(s)</source>
        <translation>
            <numerusform>%Ln Auftrag wiederholen</numerusform>
            <numerusform>%Ln Aufträge wiederholen</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not retry: %1</source>
        <translation>Wiederholen nicht möglich: %1</translation>
    </message>
    <message numerus="yes">
        <source>Skipped %Ln whose twin is queued already.</source>
        <translation>
            <numerusform>%Ln übersprungen, dessen Zwilling schon wartet.</numerusform>
            <numerusform>%Ln übersprungen, deren Zwillinge schon warten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove old finished jobs</source>
        <translation>Alte beendete Aufträge entfernen</translation>
    </message>
    <message>
        <source>Count…</source>
        <translation>Zählen …</translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln finished job(s) matching the filter (%1) that finished more than %2 ago, with their logs?</source>
        <translation>
            <numerusform>%Ln beendeten Auftrag, der auf den Filter passt (%1) und vor mehr als %2 endete, samt Protokoll entfernen?</numerusform>
            <numerusform>%Ln beendete Aufträge, die auf den Filter passen (%1) und vor mehr als %2 endeten, samt Protokollen entfernen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln finished job(s) that finished more than %1 ago, with their logs?</source>
        <translation>
            <numerusform>%Ln beendeten Auftrag, der vor mehr als %1 endete, samt Protokoll entfernen?</numerusform>
            <numerusform>%Ln beendete Aufträge, die vor mehr als %1 endeten, samt Protokollen entfernen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Fetched records and queued and running jobs stay. This cannot be undone.</source>
        <translation>Abgerufene Datensätze sowie wartende und laufende Aufträge bleiben erhalten. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Could not remove: %1</source>
        <translation>Entfernen nicht möglich: %1</translation>
    </message>
    <message numerus="yes">
        <source>day(s)</source>
        <translation>
            <numerusform>Tag</numerusform>
            <numerusform>Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove the finished jobs the history&apos;s filter matches (%1) that finished longer ago than:</source>
        <translation>Die beendeten Aufträge entfernen, auf die der Verlaufsfilter passt (%1) und deren Ende länger zurückliegt als:</translation>
    </message>
    <message>
        <source>Remove the finished jobs (completed, failed and cancelled) that finished longer ago than:</source>
        <translation>Die beendeten Aufträge (erledigte, gescheiterte und abgebrochene) entfernen, deren Ende länger zurückliegt als:</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <comment>in: finished more than … ago</comment>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <source>No job matching the filter finished more than %1 ago: nothing to remove.</source>
        <translation>Kein Auftrag, der auf den Filter passt, endete vor mehr als %1: Es gibt nichts zu entfernen.</translation>
    </message>
    <message numerus="yes">
        <source>Removed %Ln finished job(s) that finished more than %1 ago.</source>
        <translation>
            <numerusform>%Ln beendeten Auftrag entfernt, der vor mehr als %1 endete.</numerusform>
            <numerusform>%Ln beendete Aufträge entfernt, die vor mehr als %1 endeten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Show only jobs that ended this way</source>
        <translation>Nur Aufträge zeigen, die so endeten</translation>
    </message>
    <message>
        <source>Jobs finished between</source>
        <translation>Aufträge beendet zwischen</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <source>Finished from %1 to %2 (local time)</source>
        <translation>Beendet von %1 bis %2 (Ortszeit)</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln loaded</source>
        <translation>
            <numerusform>%1 von %Ln geladen</numerusform>
            <numerusform>%1 von %Ln geladen</numerusform>
        </translation>
    </message>
    <message>
        <source>Scroll down to load more.</source>
        <translation>Nach unten scrollen, um mehr zu laden.</translation>
    </message>
    <message>
        <source>The matching jobs changed while you were asked: nothing was retried. Asking again.</source>
        <translation>Die passenden Aufträge haben sich während der Rückfrage geändert: Nichts wurde wiederholt. Es wird erneut gefragt.</translation>
    </message>
    <message>
        <source>Token refused</source>
        <translation>Token abgewiesen</translation>
    </message>
    <message>
        <source>error “%1”</source>
        <translation>Fehler „%1“</translation>
    </message>
</context>
<context>
    <name>JobDetailsDialog</name>
    <message>
        <source>Job %1</source>
        <translation>Auftrag %1</translation>
    </message>
    <message>
        <source>Job ID</source>
        <translation>Auftrags-ID</translation>
    </message>
    <message>
        <source>Dealer ID</source>
        <translation>Händler-ID</translation>
    </message>
    <message>
        <source>Fetch type</source>
        <translation>Abruftyp</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>Eingereiht am</translation>
    </message>
    <message>
        <source>Queued by</source>
        <translation>Eingereiht von</translation>
    </message>
    <message>
        <source>Queued again at</source>
        <translation>Erneut eingereiht am</translation>
    </message>
    <message>
        <source>Started at</source>
        <translation>Gestartet am</translation>
    </message>
    <message>
        <source>Finished at</source>
        <translation>Beendet am</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Error category</source>
        <translation>Fehlerkategorie</translation>
    </message>
    <message>
        <source>Run by</source>
        <translation>Ausgeführt von</translation>
    </message>
    <message>
        <source>No error</source>
        <translation>Kein Fehler</translation>
    </message>
    <message>
        <source>No log lines</source>
        <translation>Keine Protokollzeilen</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ausgang</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Queue this job again</source>
        <translation>Diesen Auftrag erneut einreihen</translation>
    </message>
    <message>
        <source>Job %1 is no longer in the store (the history was cleared).</source>
        <translation>Auftrag %1 ist nicht mehr gespeichert (der Verlauf wurde geleert).</translation>
    </message>
    <message>
        <source>Could not read job %1: %2</source>
        <translation>Auftrag %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln page(s); %1 fetched, %2 inserted, %3 updated, %4 unchanged</source>
        <translation>
            <numerusform>%Ln Seite; %1 abgerufen, %2 eingefügt, %3 aktualisiert, %4 unverändert</numerusform>
            <numerusform>%Ln Seiten; %1 abgerufen, %2 eingefügt, %3 aktualisiert, %4 unverändert</numerusform>
        </translation>
    </message>
    <message>
        <source>Running (cancel requested)</source>
        <translation>Laufend (Abbruch angefordert)</translation>
    </message>
    <message>
        <source>%1 s (%2)</source>
        <comment>seconds (the same for people)</comment>
        <translation>%1 s (%2)</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <source>%1 fetched</source>
        <translation>%1 abgerufen</translation>
    </message>
    <message>
        <source>Not retried: %1</source>
        <translation>Nicht wiederholt: %1</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>Who changed this job, newest first (the audit log)</source>
        <translation>Wer diesen Auftrag geändert hat, neueste zuerst (das Änderungsprotokoll)</translation>
    </message>
</context>
<context>
    <name>JobFormat</name>
    <message>
        <source>%1 s</source>
        <comment>seconds</comment>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <comment>minutes and seconds</comment>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <comment>hours and minutes</comment>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gescheitert</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Network: the dealer API could not be reached or did not answer in time</source>
        <translation>Netzwerk: Die Händler-API war nicht erreichbar oder hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <source>HTTP error: the dealer API answered with an error status</source>
        <translation>HTTP-Fehler: Die Händler-API hat mit einem Fehlerstatus geantwortet</translation>
    </message>
    <message>
        <source>Refused: the dealer API did not accept the source token</source>
        <translation>Abgewiesen: Die Händler-API hat das Quell-Token nicht akzeptiert</translation>
    </message>
    <message>
        <source>Not found: the dealer API does not know this dealer or fetch type</source>
        <translation>Nicht gefunden: Die Händler-API kennt diesen Händler oder Abruftyp nicht</translation>
    </message>
    <message>
        <source>Unreadable answer: the dealer API sent data that is not what it should</source>
        <translation>Unlesbare Antwort: Die Händler-API hat Daten gesendet, die nicht den Erwartungen entsprechen</translation>
    </message>
    <message>
        <source>Database: the records could not be stored</source>
        <translation>Datenbank: Die Datensätze konnten nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Cancelled by an operator</source>
        <translation>Von einem Bediener abgebrochen</translation>
    </message>
    <message>
        <source>Interrupted: the process running it stopped too often</source>
        <translation>Unterbrochen: Der ausführende Prozess wurde zu oft beendet</translation>
    </message>
</context>
<context>
    <name>JobTableModel</name>
    <message>
        <source>Cancelling</source>
        <translation>Wird abgebrochen</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <comment>from a time to a time</comment>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Dealer</source>
        <translation>Händler</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>Eingereiht am</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Fetched</source>
        <translation>Abgerufen</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Eingefügt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>dealerq — Job Queue</source>
        <translation>dealerq – Auftragswarteschlange</translation>
    </message>
    <message>
        <source>Demo mode (--demo): jobs fetch from the built-in demo simulator, not from the data source saved in Settings (%1), which this run does not use. Every dealer ID gets a few made-up records.</source>
        <translation>Demomodus (--demo): Aufträge rufen vom eingebauten Demo-Simulator ab, nicht von der in den Einstellungen gespeicherten Datenquelle (%1), die dieser Lauf nicht verwendet. Jede Händler-ID erhält einige erfundene Datensätze.</translation>
    </message>
    <message>
        <source>Demo mode: jobs fetch from the built-in demo simulator, not from a dealer data API. Every dealer ID gets a few made-up records. Set a data source in Settings to fetch real data.</source>
        <translation>Demomodus: Aufträge rufen vom eingebauten Demo-Simulator ab, nicht von einer Händlerdaten-API. Jede Händler-ID erhält einige erfundene Datensätze. Legen Sie in den Einstellungen eine Datenquelle fest, um echte Daten abzurufen.</translation>
    </message>
    <message>
        <source>Add a job</source>
        <translation>Auftrag hinzufügen</translation>
    </message>
    <message>
        <source>Add many jobs</source>
        <translation>Viele Aufträge hinzufügen</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>Zeitpläne</translation>
    </message>
    <message>
        <source>dealerq</source>
        <translation>dealerq</translation>
    </message>
    <message>
        <source>The settings file %1 has values that cannot be used; the defaults apply until they are fixed in Settings: %2</source>
        <translation>Die Einstellungsdatei %1 enthält unbrauchbare Werte; bis sie in den Einstellungen korrigiert sind, gelten die Vorgaben: %2</translation>
    </message>
    <message>
        <source>REST API off</source>
        <translation>REST-API aus</translation>
    </message>
    <message>
        <source>REST API: http://%1  token:</source>
        <translation>REST-API: http://%1  Token:</translation>
    </message>
    <message>
        <source>The token REST API calls must send as Authorization: Bearer TOKEN</source>
        <translation>Das Token, das Aufrufe der REST-API als Authorization: Bearer TOKEN senden müssen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the REST API token to the clipboard</source>
        <translation>Das REST-API-Token in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>REST API token copied to the clipboard.</source>
        <translation>REST-API-Token in die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>&amp;Aufträge</translation>
    </message>
    <message>
        <source>&amp;Add Job</source>
        <translation>Auftrag &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Paste IDs and Queue</source>
        <translation>IDs &amp;einfügen und einreihen</translation>
    </message>
    <message>
        <source>Paste dealer IDs from the clipboard into the bulk box; Enter queues</source>
        <translation>Händler-IDs aus der Zwischenablage in das Sammelfeld einfügen; Eingabe reiht sie ein</translation>
    </message>
    <message>
        <source>Pause / &amp;Resume Queue</source>
        <translation>Warteschlange anhalten / &amp;fortsetzen</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Schedules</source>
        <translation>&amp;Zeitpläne</translation>
    </message>
    <message>
        <source>&amp;Show Schedules</source>
        <translation>Zeitpläne &amp;zeigen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About dealerq</source>
        <translation>&amp;Über dealerq</translation>
    </message>
    <message>
        <source>About dealerq</source>
        <translation>Über dealerq</translation>
    </message>
    <message>
        <source>dealerq %1

Pulls dealer data (prospects, sales, service, inventory) into a SQL database, strictly one job at a time.

Database: %2
Source: %3</source>
        <translation>dealerq %1

Holt Händlerdaten (Interessenten, Verkäufe, Service, Bestand) in eine SQL-Datenbank, streng ein Auftrag nach dem anderen.

Datenbank: %2
Quelle: %3</translation>
    </message>
    <message>
        <source>%1 (jobs run by %2)</source>
        <translation>%1 (Aufträge ausgeführt von %2)</translation>
    </message>
    <message>
        <source>Database: %1   Source: %2</source>
        <translation>Datenbank: %1   Quelle: %2</translation>
    </message>
    <message>
        <source>Could not read the queue: %1</source>
        <translation>Die Warteschlange konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Settings saved; nothing changed.</source>
        <translation>Einstellungen gespeichert; nichts hat sich geändert.</translation>
    </message>
    <message>
        <source>Settings saved and applied.</source>
        <translation>Einstellungen gespeichert und übernommen.</translation>
    </message>
    <message>
        <source>Settings saved. %1</source>
        <translation>Einstellungen gespeichert. %1</translation>
    </message>
    <message>
        <source>Settings saved. Restart dealerq for these to take effect: %1.</source>
        <translation>Einstellungen gespeichert. Starten Sie dealerq neu, damit diese wirksam werden: %1.</translation>
    </message>
    <message>
        <source>This run keeps the data source given by %1.</source>
        <translation>Dieser Lauf behält die mit %1 angegebene Datenquelle.</translation>
    </message>
    <message>
        <source>Restart dealerq to fetch from the built-in demo simulator.</source>
        <translation>Starten Sie dealerq neu, um vom eingebauten Demo-Simulator abzurufen.</translation>
    </message>
    <message>
        <source>Jobs fetch from %1 from the next job on.</source>
        <translation>Ab dem nächsten Auftrag wird von %1 abgerufen.</translation>
    </message>
    <message>
        <source>The clipboard holds no text to take dealer IDs from.</source>
        <translation>Die Zwischenablage enthält keinen Text, aus dem Händler-IDs gelesen werden können.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s) completed, %1 failed, %2 cancelled</source>
        <translation>
            <numerusform>%Ln Auftrag erledigt, %1 gescheitert, %2 abgebrochen</numerusform>
            <numerusform>%Ln Aufträge erledigt, %1 gescheitert, %2 abgebrochen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s) completed, %1 failed</source>
        <translation>
            <numerusform>%Ln Auftrag erledigt, %1 gescheitert</numerusform>
            <numerusform>%Ln Aufträge erledigt, %1 gescheitert</numerusform>
        </translation>
    </message>
    <message>
        <source>Queue empty: %1.</source>
        <translation>Warteschlange leer: %1.</translation>
    </message>
    <message>
        <source>A job is running</source>
        <translation>Ein Auftrag läuft</translation>
    </message>
    <message>
        <source>%1 is running.

Wait: the window stays open and closes by itself once the job has finished.
Quit now: the job is stopped and rolled back; it goes back to the queue and runs again at the next start.</source>
        <translation>Es läuft: %1.

Warten: Das Fenster bleibt offen und schließt sich von selbst, sobald der Auftrag beendet ist.
Jetzt beenden: Der Auftrag wird angehalten und zurückgerollt; er kommt zurück in die Warteschlange und läuft beim nächsten Start erneut.</translation>
    </message>
    <message>
        <source>A job</source>
        <translation>Ein Auftrag</translation>
    </message>
    <message>
        <source>&amp;Wait for the Job</source>
        <translation>Auf den Auftrag &amp;warten</translation>
    </message>
    <message>
        <source>&amp;Quit Now</source>
        <translation>Jetzt &amp;beenden</translation>
    </message>
    <message>
        <source>The window closes once the running job has finished.</source>
        <translation>Das Fenster schließt sich, sobald der laufende Auftrag beendet ist.</translation>
    </message>
    <message>
        <source>built-in demo simulator</source>
        <translation>eingebauter Demo-Simulator</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>The settings file %1 has values that cannot be used; jobs fail until the source profile is fixed in Settings, and the defaults apply to the other values: %2</source>
        <translation>Die Einstellungsdatei %1 enthält unbrauchbare Werte; Aufträge scheitern, bis das Quellprofil in den Einstellungen korrigiert ist, und für die übrigen Werte gelten die Vorgaben: %2</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Dealers</source>
        <translation>Händler</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>A&amp;nsicht</translation>
    </message>
    <message>
        <source>Waiting for job %1 to commit its %2 records (%3 s so far): your change goes in as soon as it has.</source>
        <translation>Warte, bis Job %1 seine %2 Datensätze gespeichert hat (bisher %3 s): Ihre Änderung folgt gleich danach.</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Close this message</source>
        <translation>Diese Meldung schließen</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>&amp;Cancel Selected Jobs</source>
        <translation>Ausgewählte a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Cancel the selected jobs (Delete)</source>
        <translation>Die ausgewählten Aufträge abbrechen (Entf)</translation>
    </message>
    <message>
        <source>Run &amp;Next</source>
        <translation>&amp;Vorziehen</translation>
    </message>
    <message>
        <source>Move the selected jobs to the front of the queue</source>
        <translation>Die ausgewählten Aufträge an den Anfang der Warteschlange stellen</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Details …</translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s) waiting</source>
        <translation>
            <numerusform>%Ln Auftrag wartet</numerusform>
            <numerusform>%Ln Aufträge warten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %Ln job(s).</source>
        <translation>
            <numerusform>%Ln Auftrag abgebrochen.</numerusform>
            <numerusform>%Ln Aufträge abgebrochen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Job(s) %1 had started: it is being aborted and rolled back.</source>
        <translation>
            <numerusform>Auftrag %1 lief bereits: Er wird abgebrochen und zurückgerollt.</numerusform>
            <numerusform>Aufträge %1 liefen bereits: Sie werden abgebrochen und zurückgerollt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not cancelled: %1</source>
        <translation>Nicht abgebrochen: %1</translation>
    </message>
    <message>
        <source>Could not move: %1</source>
        <translation>Verschieben nicht möglich: %1</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <source>Show only queued jobs of this fetch type</source>
        <translation>Nur wartende Aufträge dieses Abruftyps zeigen</translation>
    </message>
    <message>
        <source>Dealer ID</source>
        <translation>Händler-ID</translation>
    </message>
    <message>
        <source>Show only this dealer&apos;s queued jobs (exact ID)</source>
        <translation>Nur die wartenden Aufträge dieses Händlers zeigen (genaue ID)</translation>
    </message>
    <message>
        <source>Cancel Matc&amp;hing…</source>
        <translation>Pa&amp;ssende abbrechen …</translation>
    </message>
    <message>
        <source>Cancel every queued job the queue&apos;s filter matches (every queued job without one); the running job is not touched</source>
        <translation>Jeden wartenden Auftrag abbrechen, auf den der Filter der Warteschlange passt (ohne Filter jeden wartenden); der laufende Auftrag bleibt unberührt</translation>
    </message>
    <message>
        <source>Could not count the queued jobs: %1</source>
        <translation>Die wartenden Aufträge konnten nicht gezählt werden: %1</translation>
    </message>
    <message>
        <source>No queued job matches the filter: nothing to cancel.</source>
        <translation>Kein wartender Auftrag passt auf den Filter: Es gibt nichts abzubrechen.</translation>
    </message>
    <message numerus="yes">
        <source>Cancel all %Ln queued job(s)?</source>
        <translation>
            <numerusform>Den %Ln wartenden Auftrag abbrechen?</numerusform>
            <numerusform>Alle %Ln wartenden Aufträge abbrechen?</numerusform>
        </translation>
    </message>
    <message>
        <source>type %1</source>
        <translation>Typ %1</translation>
    </message>
    <message>
        <source>dealer %1</source>
        <translation>Händler %1</translation>
    </message>
    <message numerus="yes">
        <source>Cancel %Ln queued job(s) matching the filter (%1)?</source>
        <translation>
            <numerusform>%Ln wartenden Auftrag, der auf den Filter passt (%1), abbrechen?</numerusform>
            <numerusform>%Ln wartende Aufträge, die auf den Filter passen (%1), abbrechen?</numerusform>
        </translation>
    </message>
    <message>
        <source>The running job is not touched.</source>
        <translation>Der laufende Auftrag bleibt unberührt.</translation>
    </message>
    <message>
        <source>Cancel matching jobs</source>
        <translation>Passende Aufträge abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>Cancel %Ln job(s)</source>
        <translation>
            <numerusform>%Ln Auftrag abbrechen</numerusform>
            <numerusform>%Ln Aufträge abbrechen</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep Them</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Could not cancel: %1</source>
        <translation>Abbrechen nicht möglich: %1</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %Ln queued job(s).</source>
        <translation>
            <numerusform>%Ln wartenden Auftrag abgebrochen.</numerusform>
            <numerusform>%Ln wartende Aufträge abgebrochen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Move the selected jobs one place up (Ctrl+Up)</source>
        <translation>Die ausgewählten Aufträge einen Platz nach oben schieben (Strg+Hoch)</translation>
    </message>
    <message>
        <source>Move the selected jobs one place down (Ctrl+Down)</source>
        <translation>Die ausgewählten Aufträge einen Platz nach unten schieben (Strg+Runter)</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln matching loaded</source>
        <translation>
            <numerusform>%1 von %Ln passenden geladen</numerusform>
            <numerusform>%1 von %Ln passenden geladen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln loaded</source>
        <translation>
            <numerusform>%1 von %Ln geladen</numerusform>
            <numerusform>%1 von %Ln geladen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln match(es)</source>
        <translation>
            <numerusform>%Ln Treffer</numerusform>
            <numerusform>%Ln Treffer</numerusform>
        </translation>
    </message>
    <message>
        <source>Scroll down to load more.</source>
        <translation>Nach unten scrollen, um mehr zu laden.</translation>
    </message>
    <message>
        <source>The matching jobs changed while you were asked: nothing was cancelled. Asking again.</source>
        <translation>Die passenden Aufträge haben sich während der Rückfrage geändert: Nichts wurde abgebrochen. Es wird erneut gefragt.</translation>
    </message>
</context>
<context>
    <name>QueueStatusWidget</name>
    <message>
        <source>Cancel job</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Database unreachable</source>
        <translation>Datenbank offline</translation>
    </message>
    <message>
        <source>Abort the running job; nothing it fetched is kept</source>
        <translation>Den laufenden Auftrag abbrechen; nichts von dem, was er abgerufen hat, wird behalten</translation>
    </message>
    <message>
        <source>Pause: the running job finishes, no new job starts until Resume</source>
        <translation>Anhalten: Der laufende Auftrag wird beendet, bis zum Fortsetzen startet kein neuer</translation>
    </message>
    <message>
        <source>No job running</source>
        <translation>Kein Auftrag läuft</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;%1&quot;&gt;Job %1&lt;/a&gt;</source>
        <translation>&lt;a href=&quot;%1&quot;&gt;Auftrag %1&lt;/a&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%Ln page(s)</source>
        <translation>
            <numerusform>%Ln Seite</numerusform>
            <numerusform>%Ln Seiten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln record(s)</source>
        <translation>
            <numerusform>%Ln Datensatz</numerusform>
            <numerusform>%Ln Datensätze</numerusform>
        </translation>
    </message>
    <message>
        <source>next in %2 s: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>nächster Versuch in %2 s: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;waiting for an answer&lt;/b&gt;, %1 s (timeout %2 s)</source>
        <translation>&lt;b&gt;wartet auf Antwort&lt;/b&gt;, %1 s (Zeitlimit %2 s)</translation>
    </message>
    <message>
        <source>committing</source>
        <translation>wird gespeichert</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>wird abgebrochen …</translation>
    </message>
    <message>
        <source>dealer &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Händler &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Job %1: dealer %2, %3, %4</source>
        <translation>Auftrag %1: Händler %2, %3, %4</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Untätig</translation>
    </message>
    <message>
        <source>Paused: the running job finishes, then no new job starts</source>
        <translation>Angehalten: Der laufende Auftrag wird beendet, danach startet kein neuer</translation>
    </message>
    <message>
        <source>Queued: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Wartend: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Database unreachable: %1. Reconnecting; the window shows the last known state.</source>
        <translation>Datenbank nicht erreichbar: %1. Verbindung wird wiederhergestellt; das Fenster zeigt den letzten bekannten Stand.</translation>
    </message>
    <message>
        <source>No instance runs jobs on this database right now; queued jobs wait until one starts.</source>
        <translation>Derzeit führt keine Instanz Aufträge auf dieser Datenbank aus; wartende Aufträge warten, bis eine startet.</translation>
    </message>
    <message>
        <source>Jobs are run by another instance: %1. This window watches and steers the queue.</source>
        <translation>Aufträge werden von einer anderen Instanz ausgeführt: %1. Dieses Fenster beobachtet und steuert die Warteschlange.</translation>
    </message>
    <message>
        <source>Could not pause the queue: %1</source>
        <translation>Die Warteschlange konnte nicht angehalten werden: %1</translation>
    </message>
    <message>
        <source>Could not resume the queue: %1</source>
        <translation>Die Warteschlange konnte nicht fortgesetzt werden: %1</translation>
    </message>
    <message>
        <source>Queue paused: the running job finishes, no new job starts.</source>
        <translation>Warteschlange angehalten: Der laufende Auftrag wird beendet, kein neuer startet.</translation>
    </message>
    <message>
        <source>Queue resumed.</source>
        <translation>Warteschlange fortgesetzt.</translation>
    </message>
    <message>
        <source>Cancel the running job</source>
        <translation>Laufenden Auftrag abbrechen</translation>
    </message>
    <message>
        <source>Cancel job %1 (dealer %2, %3)? It is aborted and rolled back: nothing it fetched is kept.</source>
        <translation>Auftrag %1 (Händler %2, %3) abbrechen? Er wird abgebrochen und zurückgerollt: Nichts von dem, was er abgerufen hat, wird behalten.</translation>
    </message>
    <message>
        <source>Cancel Job</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message>
        <source>Keep Running</source>
        <translation>Weiterlaufen lassen</translation>
    </message>
    <message>
        <source>Could not cancel job %1: %2</source>
        <translation>Auftrag %1 konnte nicht abgebrochen werden: %2</translation>
    </message>
    <message>
        <source>Cancelling job %1: it is rolled back, nothing it fetched is kept.</source>
        <translation>Auftrag %1 wird abgebrochen: Er wird zurückgerollt, nichts von dem, was er abgerufen hat, wird behalten.</translation>
    </message>
    <message>
        <source>Job %1 ended before you confirmed: nothing was cancelled. The history shows how it ended.</source>
        <translation>Auftrag %1 war schon beendet, bevor Sie bestätigt haben: Nichts wurde abgebrochen. Der Verlauf zeigt, wie er endete.</translation>
    </message>
    <message>
        <source>Job %1 has ended meanwhile: there is nothing to cancel. The history shows how it ended.</source>
        <translation>Auftrag %1 ist inzwischen beendet: Es gibt nichts abzubrechen. Der Verlauf zeigt, wie er endete.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Runs that ended today: a job that failed and was retried counts once for each run. The Dashboard counts each job once, where it last finished.</source>
        <translation>Heute beendete Läufe: Ein gescheiterter und wiederholter Auftrag zählt für jeden Lauf einmal. Das Dashboard zählt jeden Auftrag einmal, dort, wo er zuletzt endete.</translation>
    </message>
    <message numerus="yes">
        <source>Today: &lt;b&gt;%Ln&lt;/b&gt; run(s) completed, &lt;b&gt;%1&lt;/b&gt; failed</source>
        <translation>
            <numerusform>Heute: &lt;b&gt;%Ln&lt;/b&gt; Lauf erledigt, &lt;b&gt;%1&lt;/b&gt; gescheitert</numerusform>
            <numerusform>Heute: &lt;b&gt;%Ln&lt;/b&gt; Läufe erledigt, &lt;b&gt;%1&lt;/b&gt; gescheitert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message>
        <source>&amp;Enabled: fires at its times</source>
        <translation>&amp;Aktiv: löst zu seinen Zeiten aus</translation>
    </message>
    <message>
        <source>Edit Schedule — %1</source>
        <translation>Zeitplan bearbeiten – %1</translation>
    </message>
    <message>
        <source>Add Schedule</source>
        <translation>Zeitplan hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;Add Schedule</source>
        <translation>Zeitplan &amp;hinzufügen</translation>
    </message>
    <message>
        <source>e.g. nightly prospects</source>
        <translation>z. B. nächtliche Interessenten</translation>
    </message>
    <message>
        <source>minute hour day-of-month month day-of-week</source>
        <translation>Minute Stunde Tag-des-Monats Monat Wochentag</translation>
    </message>
    <message>
        <source>Five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or jan-dec), day of week (0-7 or sun-sat; 0 and 7 are Sunday). Each is *, a number, a range a-b, a step */n or a-b/n, or a list of these: a,b.
0 2 * * *  every day at 02:00
30 6 * * 1-5  at 06:30 on Monday to Friday
*/15 * * * *  every 15 minutes</source>
        <translation>Fünf Felder: Minute (0-59), Stunde (0-23), Tag des Monats (1-31), Monat (1-12 oder jan-dec), Wochentag (0-7 oder sun-sat; 0 und 7 sind Sonntag). Jedes ist *, eine Zahl, ein Bereich a-b, eine Schrittweite */n oder a-b/n oder eine Liste davon: a,b.
0 2 * * *  jeden Tag um 02:00
30 6 * * 1-5  um 06:30 von Montag bis Freitag
*/15 * * * *  alle 15 Minuten</translation>
    </message>
    <message>
        <source>The IANA time zone the cron is read in</source>
        <translation>Die IANA-Zeitzone, in der der Cron-Ausdruck gilt</translation>
    </message>
    <message>
        <source>Previous day</source>
        <translation>Vortag</translation>
    </message>
    <message>
        <source>Today so far</source>
        <translation>Heute bisher</translation>
    </message>
    <message>
        <source>Last N hours</source>
        <translation>Letzte N Stunden</translation>
    </message>
    <message>
        <source>Last N days</source>
        <translation>Letzte N Tage</translation>
    </message>
    <message>
        <source>Since last success</source>
        <translation>Seit dem letzten Erfolg</translation>
    </message>
    <message>
        <source>What each fire fetches, for every dealer and type</source>
        <translation>Was jede Auslösung abruft, für jeden Händler und Typ</translation>
    </message>
    <message>
        <source>N: how many hours or whole days</source>
        <translation>N: wie viele Stunden oder ganze Tage</translation>
    </message>
    <message>
        <source> hours</source>
        <translation> Stunden</translation>
    </message>
    <message>
        <source>Since last success: the whole days before the fire day to fetch where a dealer and type has no completed job yet, or only one over 366 days old</source>
        <translation>Seit dem letzten Erfolg: die ganzen Tage vor dem Auslösetag, die abgerufen werden, wo ein Händler und Typ noch keinen erledigten Auftrag hat oder nur einen, der älter als 366 Tage ist</translation>
    </message>
    <message>
        <source>since last success, where a dealer and type has no completed job</source>
        <translation>seit dem letzten Erfolg, wo ein Händler und Typ keinen erledigten Auftrag hat</translation>
    </message>
    <message>
        <source> day</source>
        <translation> Tag</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Its jobs&apos; priority: higher runs first</source>
        <translation>Die Priorität seiner Aufträge: höher läuft zuerst</translation>
    </message>
    <message>
        <source>Fire the latest missed one once at start</source>
        <translation>Die letzte verpasste beim Start einmal auslösen</translation>
    </message>
    <message>
        <source>Skip them</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <source>What to do about times that fell while no dealerq instance ran</source>
        <translation>Was mit Zeiten geschieht, zu denen keine dealerq-Instanz lief</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Cron:</source>
        <translation>&amp;Cron:</translation>
    </message>
    <message>
        <source>Next fires:</source>
        <translation>Nächste Auslösungen:</translation>
    </message>
    <message>
        <source>&amp;Time zone:</source>
        <translation>&amp;Zeitzone:</translation>
    </message>
    <message>
        <source>Fetch types:</source>
        <translation>Abruftypen:</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>Zeit&amp;raum:</translation>
    </message>
    <message>
        <source>&amp;Fallback:</source>
        <translation>&amp;Ersatz:</translation>
    </message>
    <message>
        <source>&amp;Priority:</source>
        <translation>&amp;Priorität:</translation>
    </message>
    <message>
        <source>&amp;Missed times:</source>
        <translation>&amp;Verpasste Zeiten:</translation>
    </message>
    <message>
        <source>Invalid, the schedule cannot be saved: %1</source>
        <translation>Ungültig, der Zeitplan kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>They are saved as separate IDs.</source>
        <translation>Sie werden als einzelne IDs gespeichert.</translation>
    </message>
    <message>
        <source>&amp;Dealers:</source>
        <translation>&amp;Händler:</translation>
    </message>
    <message>
        <source> hour</source>
        <translation> Stunde</translation>
    </message>
    <message>
        <source>e.g. 0 2 * * * for every day at 02:00</source>
        <translation>z. B. 0 2 * * * für jeden Tag um 02:00</translation>
    </message>
    <message>
        <source>none: the cron matches no time in the next %1 years</source>
        <translation>keine: Der Cron-Ausdruck trifft in den nächsten %1 Jahren keine Zeit</translation>
    </message>
    <message>
        <source>not a known time zone</source>
        <translation>keine bekannte Zeitzone</translation>
    </message>
    <message>
        <source>this machine&apos;s clock, %1 now</source>
        <translation>die Uhr dieses Rechners, jetzt %1</translation>
    </message>
    <message>
        <source>%1 now</source>
        <translation>jetzt %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Cron</source>
        <translation>Cron</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Dealers</source>
        <translation>Händler</translation>
    </message>
    <message>
        <source>Fetch types</source>
        <translation>Abruftypen</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Fallback</source>
        <translation>Ersatz</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>up to %1 characters, unique among the schedules</source>
        <translation>bis zu %1 Zeichen, eindeutig unter den Zeitplänen</translation>
    </message>
    <message>
        <source>choose at least one</source>
        <translation>wählen Sie mindestens einen</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert …</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>ScheduleFormat</name>
    <message>
        <source>%1 in %2</source>
        <comment>every day at 02:00 in America/New_York</comment>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <source>previous day</source>
        <translation>Vortag</translation>
    </message>
    <message>
        <source>today so far</source>
        <translation>heute bisher</translation>
    </message>
    <message>
        <source>last hour</source>
        <translation>letzte Stunde</translation>
    </message>
    <message>
        <source>last %1 hours</source>
        <translation>letzte %1 Stunden</translation>
    </message>
    <message>
        <source>last day</source>
        <translation>letzter Tag</translation>
    </message>
    <message>
        <source>last %1 days</source>
        <translation>letzte %1 Tage</translation>
    </message>
    <message>
        <source>since last success</source>
        <translation>seit dem letzten Erfolg</translation>
    </message>
    <message>
        <source>the whole calendar day before the fire day</source>
        <translation>der ganze Kalendertag vor dem Auslösetag</translation>
    </message>
    <message>
        <source>from 00:00:00 on the fire day to the fire</source>
        <translation>von 00:00:00 am Auslösetag bis zur Auslösung</translation>
    </message>
    <message>
        <source>the hour before the fire</source>
        <translation>die Stunde vor der Auslösung</translation>
    </message>
    <message>
        <source>the %1 hours before the fire</source>
        <translation>die %1 Stunden vor der Auslösung</translation>
    </message>
    <message>
        <source>the whole day before the fire day</source>
        <translation>der ganze Tag vor dem Auslösetag</translation>
    </message>
    <message>
        <source>the %1 whole days before the fire day</source>
        <translation>die %1 ganzen Tage vor dem Auslösetag</translation>
    </message>
    <message>
        <source>from each dealer and type&apos;s latest completed job to the fire</source>
        <translation>vom letzten erledigten Auftrag jedes Händlers und Typs bis zur Auslösung</translation>
    </message>
    <message>
        <source>%1 (%2 %3)</source>
        <comment>2026-12-04 08:00:00 (02:00 America/New_York)</comment>
        <translation>%1 (%2 %3)</translation>
    </message>
</context>
<context>
    <name>ScheduleTableModel</name>
    <message>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>%1 (schedule %2, created by %3)</source>
        <translation>%1 (Zeitplan %2, angelegt von %3)</translation>
    </message>
    <message>
        <source>%1
cron %2 in %3</source>
        <translation>%1
Cron %2 in %3</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>where there is none: the %Ln whole day(s) before the fire day (fallback_days)</source>
        <translation>
            <numerusform>wo es keinen gibt: der %Ln ganze Tag vor dem Auslösetag (fallback_days)</numerusform>
            <numerusform>wo es keinen gibt: die %Ln ganzen Tage vor dem Auslösetag (fallback_days)</numerusform>
        </translation>
    </message>
    <message>
        <source> … and %1 more</source>
        <translation> … und %1 weitere</translation>
    </message>
    <message>
        <source>Disabled: it does not fire until it is enabled again</source>
        <translation>Inaktiv: Er löst erst wieder aus, wenn er aktiviert wird</translation>
    </message>
    <message>
        <source>The cron matches no time in the next %1 years</source>
        <translation>Der Cron-Ausdruck trifft in den nächsten %1 Jahren keine Zeit</translation>
    </message>
    <message>
        <source>It has not fired yet</source>
        <translation>Er hat noch nicht ausgelöst</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Types</source>
        <translation>Typen</translation>
    </message>
    <message>
        <source>Dealers</source>
        <translation>Händler</translation>
    </message>
    <message>
        <source>Next fire</source>
        <translation>Nächste Auslösung</translation>
    </message>
    <message>
        <source>Last fire</source>
        <translation>Letzte Auslösung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
</context>
<context>
    <name>SchedulesPanel</name>
    <message>
        <source>it does not fire until it is enabled again</source>
        <translation>er löst erst wieder aus, wenn er aktiviert wird</translation>
    </message>
    <message>
        <source>its cron matches no time in the next %1 years</source>
        <translation>sein Cron-Ausdruck trifft in den nächsten %1 Jahren keine Zeit</translation>
    </message>
    <message>
        <source>next fire %1</source>
        <translation>nächste Auslösung %1</translation>
    </message>
    <message>
        <source>&amp;Add Schedule…</source>
        <translation>&amp;Hinzufügen …</translation>
    </message>
    <message>
        <source>Add a schedule that queues jobs by itself at the times of its cron</source>
        <translation>Einen Zeitplan hinzufügen, der zu den Zeiten seines Cron-Ausdrucks selbst Aufträge einreiht</translation>
    </message>
    <message>
        <source>&amp;Edit Schedule…</source>
        <translation>&amp;Bearbeiten …</translation>
    </message>
    <message>
        <source>Change the selected schedule (Enter, double-click)</source>
        <translation>Den ausgewählten Zeitplan ändern (Eingabe, Doppelklick)</translation>
    </message>
    <message>
        <source>D&amp;isable</source>
        <translation>D&amp;eaktivieren</translation>
    </message>
    <message>
        <source>&amp;Run Now</source>
        <translation>&amp;Jetzt ausführen</translation>
    </message>
    <message>
        <source>Queue the selected schedule&apos;s jobs now, with the windows of this moment; its times stay as they are</source>
        <translation>Die Aufträge des ausgewählten Zeitplans jetzt einreihen, mit den Zeiträumen dieses Moments; seine Zeiten bleiben, wie sie sind</translation>
    </message>
    <message>
        <source>&amp;Delete Schedule…</source>
        <translation>&amp;Löschen …</translation>
    </message>
    <message>
        <source>Delete the selected schedule, after asking (Delete); the jobs it queued stay</source>
        <translation>Den ausgewählten Zeitplan nach Rückfrage löschen (Entf); die von ihm eingereihten Aufträge bleiben</translation>
    </message>
    <message>
        <source>Could not read the schedules: %1</source>
        <translation>Die Zeitpläne konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No schedules yet</source>
        <translation>Noch keine Zeitpläne</translation>
    </message>
    <message numerus="yes">
        <source>%Ln schedule(s), %1 enabled</source>
        <translation>
            <numerusform>%Ln Zeitplan, %1 aktiv</numerusform>
            <numerusform>%Ln Zeitpläne, %1 aktiv</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Aktivieren</translation>
    </message>
    <message>
        <source>Stop the selected schedule firing until it is enabled again; the times that pass meanwhile are never caught up</source>
        <translation>Den ausgewählten Zeitplan nicht mehr auslösen lassen, bis er wieder aktiviert wird; die Zeiten, die inzwischen verstreichen, werden nie nachgeholt</translation>
    </message>
    <message>
        <source>Let the selected schedule fire again from now on</source>
        <translation>Den ausgewählten Zeitplan ab jetzt wieder auslösen lassen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Saved schedule &quot;%1&quot;: %2.</source>
        <translation>Zeitplan „%1“ gespeichert: %2.</translation>
    </message>
    <message>
        <source>Added schedule &quot;%1&quot;: %2.</source>
        <translation>Zeitplan „%1“ hinzugefügt: %2.</translation>
    </message>
    <message>
        <source>Could not change the schedule</source>
        <translation>Der Zeitplan konnte nicht geändert werden</translation>
    </message>
    <message>
        <source>Schedule %1 no longer exists.</source>
        <translation>Zeitplan %1 existiert nicht mehr.</translation>
    </message>
    <message>
        <source>Enabled schedule &quot;%1&quot;: %2.</source>
        <translation>Zeitplan „%1“ aktiviert: %2.</translation>
    </message>
    <message>
        <source>Disabled schedule &quot;%1&quot;: %2.</source>
        <translation>Zeitplan „%1“ deaktiviert: %2.</translation>
    </message>
    <message>
        <source>Could not run schedule &quot;%1&quot;</source>
        <translation>Zeitplan „%1“ konnte nicht ausgeführt werden</translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s) for schedule &quot;%1&quot;.</source>
        <translation>
            <numerusform>%Ln Auftrag für Zeitplan „%1“ eingereiht.</numerusform>
            <numerusform>%Ln Aufträge für Zeitplan „%1“ eingereiht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s) (%1 already queued) for schedule &quot;%2&quot;.</source>
        <translation>
            <numerusform>%Ln Auftrag (%1 bereits eingereiht) für Zeitplan „%2“ eingereiht.</numerusform>
            <numerusform>%Ln Aufträge (%1 bereits eingereiht) für Zeitplan „%2“ eingereiht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete schedule</source>
        <translation>Zeitplan löschen</translation>
    </message>
    <message>
        <source>Delete schedule &quot;%1&quot;?

It queues no more jobs. The jobs it has queued already stay in the queue.</source>
        <translation>Zeitplan „%1“ löschen?

Er reiht keine Aufträge mehr ein. Die Aufträge, die er bereits eingereiht hat, bleiben in der Warteschlange.</translation>
    </message>
    <message>
        <source>&amp;Delete Schedule</source>
        <translation>Zeitplan &amp;löschen</translation>
    </message>
    <message>
        <source>Could not delete schedule &quot;%1&quot;</source>
        <translation>Zeitplan „%1“ konnte nicht gelöscht werden</translation>
    </message>
    <message>
        <source>Deleted schedule &quot;%1&quot;; the jobs it queued stay in the queue.</source>
        <translation>Zeitplan „%1“ gelöscht; die von ihm eingereihten Aufträge bleiben in der Warteschlange.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Dealer data source</source>
        <translation>Händlerdatenquelle</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Fetch types:</source>
        <translation>Abruftypen:</translation>
    </message>
    <message>
        <source>empty: the built-in demo simulator</source>
        <translation>leer: der eingebaute Demo-Simulator</translation>
    </message>
    <message>
        <source>Separated by commas</source>
        <translation>Durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Database and window</source>
        <translation>Datenbank und Fenster</translation>
    </message>
    <message>
        <source>Database URL:</source>
        <translation>Datenbank-URL:</translation>
    </message>
    <message>
        <source>sqlite:///path/file.db or postgresql://user@host/db</source>
        <translation>sqlite:///pfad/datei.db oder postgresql://benutzer@host/db</translation>
    </message>
    <message>
        <source>Refresh every:</source>
        <translation>Aktualisieren alle:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Attempts before failing:</source>
        <translation>Versuche vor dem Scheitern:</translation>
    </message>
    <message>
        <source>Requests and retries</source>
        <translation>Anfragen und Wiederholungen</translation>
    </message>
    <message>
        <source>Retries per request:</source>
        <translation>Wiederholungen je Anfrage:</translation>
    </message>
    <message>
        <source>First back-off:</source>
        <translation>Erste Wartezeit:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Longest back-off:</source>
        <translation>Längste Wartezeit:</translation>
    </message>
    <message>
        <source>Longest Retry-After:</source>
        <translation>Längstes Retry-After:</translation>
    </message>
    <message>
        <source>Request timeout:</source>
        <translation>Zeitlimit je Anfrage:</translation>
    </message>
    <message>
        <source>Page size:</source>
        <translation>Seitengröße:</translation>
    </message>
    <message>
        <source>REST API</source>
        <translation>REST-API</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Lauschen auf:</translation>
    </message>
    <message>
        <source>⟳ takes effect when dealerq starts again. The command line and the environment (--db, DEALERQ_DB, --source, ...) override these settings.</source>
        <translation>⟳ wird wirksam, wenn dealerq neu startet. Befehlszeile und Umgebung (--db, DEALERQ_DB, --source, ...) haben Vorrang vor diesen Einstellungen.</translation>
    </message>
    <message>
        <source>data source URL</source>
        <translation>URL der Datenquelle</translation>
    </message>
    <message>
        <source>data source token</source>
        <translation>Token der Datenquelle</translation>
    </message>
    <message>
        <source>fetch types</source>
        <translation>Abruftypen</translation>
    </message>
    <message>
        <source>database URL</source>
        <translation>Datenbank-URL</translation>
    </message>
    <message>
        <source>retries per request</source>
        <translation>Wiederholungen je Anfrage</translation>
    </message>
    <message>
        <source>first back-off</source>
        <translation>erste Wartezeit</translation>
    </message>
    <message>
        <source>longest back-off</source>
        <translation>längste Wartezeit</translation>
    </message>
    <message>
        <source>longest Retry-After</source>
        <translation>längstes Retry-After</translation>
    </message>
    <message>
        <source>request timeout</source>
        <translation>Zeitlimit je Anfrage</translation>
    </message>
    <message>
        <source>page size</source>
        <translation>Seitengröße</translation>
    </message>
    <message>
        <source>attempts before failing</source>
        <translation>Versuche vor dem Scheitern</translation>
    </message>
    <message>
        <source>refresh interval</source>
        <translation>Aktualisierungsintervall</translation>
    </message>
    <message>
        <source>REST API address</source>
        <translation>REST-API-Adresse</translation>
    </message>
    <message>
        <source>REST API token</source>
        <translation>REST-API-Token</translation>
    </message>
    <message>
        <source>Show or hide</source>
        <translation>Zeigen oder verbergen</translation>
    </message>
    <message>
        <source>Takes effect when dealerq starts again</source>
        <translation>Wird wirksam, wenn dealerq neu startet</translation>
    </message>
    <message>
        <source>The data source URL must be an http:// or https:// address, like https://dealers.example.com/api</source>
        <translation>Die URL der Datenquelle muss eine http://- oder https://-Adresse sein, etwa https://dealers.example.com/api</translation>
    </message>
    <message>
        <source>Give at least one fetch type.</source>
        <translation>Geben Sie mindestens einen Abruftyp an.</translation>
    </message>
    <message>
        <source>Fetch type &quot;%1&quot; may hold only letters, digits, _ and -.</source>
        <translation>Abruftyp „%1“ darf nur Buchstaben, Ziffern, _ und - enthalten.</translation>
    </message>
    <message>
        <source>Database URL: %1</source>
        <translation>Datenbank-URL: %1</translation>
    </message>
    <message>
        <source>The REST API address must be HOST:PORT, like 127.0.0.1:8000.</source>
        <translation>Die REST-API-Adresse muss HOST:PORT sein, etwa 127.0.0.1:8000.</translation>
    </message>
    <message>
        <source>The first back-off cannot be longer than the longest back-off.</source>
        <translation>Die erste Wartezeit darf nicht länger sein als die längste.</translation>
    </message>
    <message>
        <source>REST API TLS certificate</source>
        <translation>TLS-Zertifikat der REST-API</translation>
    </message>
    <message>
        <source>REST API TLS key</source>
        <translation>TLS-Schlüssel der REST-API</translation>
    </message>
    <message>
        <source>alert webhook URL</source>
        <translation>Webhook-URL für Warnungen</translation>
    </message>
    <message>
        <source>alert webhook secret</source>
        <translation>Webhook-Geheimnis für Warnungen</translation>
    </message>
    <message>
        <source>As the desktop</source>
        <translation>Wie der Desktop</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>Farben:</translation>
    </message>
    <message>
        <source>colours</source>
        <translation>Farben</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>forever</source>
        <translation>für immer</translation>
    </message>
    <message>
        <source>Finished jobs older than this are removed (with their logs, never the fetched records) at start and every hour.</source>
        <translation>Beendete Aufträge, die älter sind, werden beim Start und stündlich entfernt (mit ihren Protokollen, nie die abgerufenen Datensätze).</translation>
    </message>
    <message>
        <source>Keep finished jobs:</source>
        <translation>Beendete Aufträge behalten:</translation>
    </message>
    <message>
        <source>days finished jobs are kept</source>
        <translation>Tage, die beendete Aufträge behalten werden</translation>
    </message>
    <message>
        <source>REST API tokens</source>
        <translation>REST-API-Tokens</translation>
    </message>
    <message>
        <source>Named tokens for people and scripts: read makes GET calls only, operate every call. Added and revoked at once, for every instance on this database.</source>
        <translation>Benannte Tokens für Personen und Skripte: read macht nur GET-Aufrufe, operate alle. Hinzufügen und Widerrufen gelten sofort, für jede Instanz auf dieser Datenbank.</translation>
    </message>
    <message>
        <source>Source profile</source>
        <translation>Quellprofil</translation>
    </message>
    <message>
        <source>Empty: dealerq&apos;s own API shape. Another API: one key=value a line, e.g. paging=cursor (see the README).</source>
        <translation>Leer: die eigene API-Form von dealerq. Eine andere API: ein key=value je Zeile, z. B. paging=cursor (siehe README).</translation>
    </message>
    <message>
        <source>Profile:</source>
        <translation>Profil:</translation>
    </message>
    <message>
        <source>The dealer whose first page the test reads</source>
        <translation>Der Händler, dessen erste Seite der Test liest</translation>
    </message>
    <message>
        <source>Test source</source>
        <translation>Quelle testen</translation>
    </message>
    <message>
        <source>Reads the first page with the URL, token and profile above, unsaved; stores nothing</source>
        <translation>Liest die erste Seite mit URL, Token und Profil von oben, ungespeichert; speichert nichts</translation>
    </message>
    <message>
        <source>Test with dealer:</source>
        <translation>Test mit Händler:</translation>
    </message>
    <message>
        <source>Source profile: %1</source>
        <translation>Quellprofil: %1</translation>
    </message>
    <message>
        <source>Set the data source URL first: the test reads from it.</source>
        <translation>Legen Sie zuerst die URL der Datenquelle fest: Der Test liest von dort.</translation>
    </message>
    <message>
        <source>Dealer: %1</source>
        <translation>Händler: %1</translation>
    </message>
    <message>
        <source>Reading the first page of dealer %1 (%2)...</source>
        <translation>Die erste Seite von Händler %1 (%2) wird gelesen …</translation>
    </message>
    <message>
        <source>The profile reads the source:
%1</source>
        <translation>Das Profil liest die Quelle:
%1</translation>
    </message>
    <message>
        <source>The profile does not read the source: %1
%2</source>
        <translation>Das Profil liest die Quelle nicht: %1
%2</translation>
    </message>
    <message>
        <source> hours</source>
        <translation> Stunden</translation>
    </message>
    <message>
        <source>A dealer and type whose last successful fetch is older than this is stale in the Dealers view (and for the REST API&apos;s state=stale).</source>
        <translation>Ein Händler und Typ, dessen letzter erfolgreicher Abruf älter ist, gilt in der Händleransicht (und für state=stale der REST-API) als veraltet.</translation>
    </message>
    <message>
        <source>Dealer data stale after:</source>
        <translation>Händlerdaten veraltet nach:</translation>
    </message>
    <message>
        <source>hours before dealer data is stale</source>
        <translation>Stunden, bis Händlerdaten veraltet sind</translation>
    </message>
    <message>
        <source>A job that would fetch more pages than this fails as bad_payload, so that an API that never ends cannot run forever.</source>
        <translation>Ein Auftrag, der mehr Seiten abrufen würde, scheitert als bad_payload, damit eine API ohne Ende nicht ewig läuft.</translation>
    </message>
    <message>
        <source>Most pages per job:</source>
        <translation>Höchstens Seiten je Auftrag:</translation>
    </message>
    <message>
        <source>most pages per job</source>
        <translation>höchstens Seiten je Auftrag</translation>
    </message>
    <message>
        <source>Keep finished jobs</source>
        <translation>Beendete Aufträge behalten</translation>
    </message>
    <message numerus="yes">
        <source>Keep finished jobs for %Ln day(s)? Those that finished longer ago are removed, with their logs, when dealerq next starts and every hour after; the fetched records stay.</source>
        <translation>
            <numerusform>Beendete Aufträge %Ln Tag lang behalten? Früher beendete werden mit ihren Protokollen entfernt, wenn dealerq das nächste Mal startet, und danach stündlich; die abgerufenen Datensätze bleiben.</numerusform>
            <numerusform>Beendete Aufträge %Ln Tage lang behalten? Früher beendete werden mit ihren Protokollen entfernt, wenn dealerq das nächste Mal startet, und danach stündlich; die abgerufenen Datensätze bleiben.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Keep %Ln Day(s)</source>
        <translation>
            <numerusform>%Ln Tag behalten</numerusform>
            <numerusform>%Ln Tage behalten</numerusform>
        </translation>
    </message>
    <message>
        <source>Not used in this run: %1 overrides it.</source>
        <translation>In diesem Lauf nicht verwendet: %1 hat Vorrang.</translation>
    </message>
    <message>
        <source>Overridden in this run by %1:</source>
        <translation>In diesem Lauf ersetzt durch %1:</translation>
    </message>
</context>
</TS>
