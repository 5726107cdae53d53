<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>BulkAddWidget</name>
    <message numerus="yes">
        <source>Queue %Ln job(s)</source>
        <translation>
            <numerusform>Queue %Ln job</numerusform>
            <numerusform>Queue %Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s).</source>
        <translation>
            <numerusform>Queued %Ln job.</numerusform>
            <numerusform>Queued %Ln jobs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %Ln already queued (%1).</source>
        <translation>
            <numerusform>Skipped %Ln already queued (%1).</numerusform>
            <numerusform>Skipped %Ln already queued (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln invalid ID(s) not queued: left in the box to be corrected.</source>
        <translation>
            <numerusform>%Ln invalid ID not queued: left in the box to be corrected.</numerusform>
            <numerusform>%Ln invalid IDs not queued: left in the box to be corrected.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DealersPanel</name>
    <message numerus="yes">
        <source>Queued %Ln job(s) since the last success.</source>
        <translation>
            <numerusform>Queued %Ln job since the last success.</numerusform>
            <numerusform>Queued %Ln jobs since the last success.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %Ln job(s) already queued.</source>
        <translation>
            <numerusform>Skipped %Ln job already queued.</numerusform>
            <numerusform>Skipped %Ln jobs already queued.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DesktopNotifier</name>
    <message numerus="yes">
        <source>%Ln job(s) failed</source>
        <translation>
            <numerusform>%Ln job failed</numerusform>
            <numerusform>%Ln jobs failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The queue is empty: %Ln job(s) completed, %1 failed.</source>
        <translation>
            <numerusform>The queue is empty: %Ln job completed, %1 failed.</numerusform>
            <numerusform>The queue is empty: %Ln jobs completed, %1 failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s) completed, %1 failed.</source>
        <translation>
            <numerusform>%Ln job completed, %1 failed.</numerusform>
            <numerusform>%Ln jobs completed, %1 failed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message numerus="yes">
        <source>%Ln job(s)</source>
        <translation>
            <numerusform>%Ln job</numerusform>
            <numerusform>%Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s) again.</source>
        <translation>
            <numerusform>Queued %Ln job again.</numerusform>
            <numerusform>Queued %Ln jobs again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln finished job(s) — completed, failed and cancelled — and their logs from the history?</source>
        <translation>
            <numerusform>Remove %Ln finished job — completed, failed or cancelled — and its log from the history?</numerusform>
            <numerusform>Remove %Ln finished jobs — completed, failed and cancelled — and their logs from the history?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The history shows %Ln finished job(s) (%1).</source>
        <translation>
            <numerusform>The history shows %Ln finished job (%1).</numerusform>
            <numerusform>The history shows %Ln finished jobs (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove those, or all %Ln — completed, failed and cancelled — with their logs?</source>
        <translation>
            <numerusform>Remove those, or all %Ln — completed, failed and cancelled — with their logs?</numerusform>
            <numerusform>Remove those, or all %Ln — completed, failed and cancelled — with their logs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln job(s) shown</source>
        <translation>
            <numerusform>Remove %Ln job shown</numerusform>
            <numerusform>Remove %Ln jobs shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove all %Ln job(s)</source>
        <translation>
            <numerusform>Remove all %Ln job</numerusform>
            <numerusform>Remove all %Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln job(s)</source>
        <translation>
            <numerusform>Remove %Ln job</numerusform>
            <numerusform>Remove %Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %Ln finished job(s) from the history.</source>
        <translation>
            <numerusform>Removed %Ln finished job from the history.</numerusform>
            <numerusform>Removed %Ln finished jobs from the history.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln job(s) to %1.</source>
        <translation>
            <numerusform>Exported %Ln job to %1.</numerusform>
            <numerusform>Exported %Ln jobs to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry %Ln cancelled job(s) matching the filter (%1)?</source>
        <translation>
            <numerusform>Retry %Ln cancelled job matching the filter (%1)?</numerusform>
            <numerusform>Retry %Ln cancelled jobs matching the filter (%1)?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry all %Ln cancelled job(s)?</source>
        <translation>
            <numerusform>Retry the %Ln cancelled job?</numerusform>
            <numerusform>Retry all %Ln cancelled jobs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry %Ln failed job(s) matching the filter (%1)?</source>
        <translation>
            <numerusform>Retry %Ln failed job matching the filter (%1)?</numerusform>
            <numerusform>Retry %Ln failed jobs matching the filter (%1)?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry all %Ln failed job(s)?</source>
        <translation>
            <numerusform>Retry the %Ln failed job?</numerusform>
            <numerusform>Retry all %Ln failed jobs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry %Ln job(s)</source>
        <translation>
            <numerusform>Retry %Ln job</numerusform>
            <numerusform>Retry %Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %Ln whose twin is queued already.</source>
        <translation>
            <numerusform>Skipped %Ln whose twin is queued already.</numerusform>
            <numerusform>Skipped %Ln whose twins are queued already.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln finished job(s) matching the filter (%1) that finished more than %2 ago, with their logs?</source>
        <translation>
            <numerusform>Remove %Ln finished job matching the filter (%1) that finished more than %2 ago, with their logs?</numerusform>
            <numerusform>Remove %Ln finished jobs matching the filter (%1) that finished more than %2 ago, with their logs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln finished job(s) that finished more than %1 ago, with their logs?</source>
        <translation>
            <numerusform>Remove %Ln finished job that finished more than %1 ago, with their logs?</numerusform>
            <numerusform>Remove %Ln finished jobs that finished more than %1 ago, with their logs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>day(s)</source>
        <translation>
            <numerusform>day</numerusform>
            <numerusform>days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <comment>in: finished more than … ago</comment>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %Ln finished job(s) that finished more than %1 ago.</source>
        <translation>
            <numerusform>Removed %Ln finished job that finished more than %1 ago.</numerusform>
            <numerusform>Removed %Ln finished jobs that finished more than %1 ago.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln loaded</source>
        <translation>
            <numerusform>%1 of %Ln loaded</numerusform>
            <numerusform>%1 of %Ln loaded</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobDetailsDialog</name>
    <message numerus="yes">
        <source>%Ln page(s); %1 fetched, %2 inserted, %3 updated, %4 unchanged</source>
        <translation>
            <numerusform>%Ln page; %1 fetched, %2 inserted, %3 updated, %4 unchanged</numerusform>
            <numerusform>%Ln pages; %1 fetched, %2 inserted, %3 updated, %4 unchanged</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln job(s) completed, %1 failed, %2 cancelled</source>
        <translation>
            <numerusform>%Ln job completed, %1 failed, %2 cancelled</numerusform>
            <numerusform>%Ln jobs completed, %1 failed, %2 cancelled</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s) completed, %1 failed</source>
        <translation>
            <numerusform>%Ln job completed, %1 failed</numerusform>
            <numerusform>%Ln jobs completed, %1 failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message numerus="yes">
        <source>%Ln job(s) waiting</source>
        <translation>
            <numerusform>%Ln job waiting</numerusform>
            <numerusform>%Ln jobs waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %Ln job(s).</source>
        <translation>
            <numerusform>Cancelled %Ln job.</numerusform>
            <numerusform>Cancelled %Ln jobs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Job(s) %1 had started: it is being aborted and rolled back.</source>
        <translation>
            <numerusform>Job %1 had started: it is being aborted and rolled back.</numerusform>
            <numerusform>Jobs %1 had started: they are being aborted and rolled back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel all %Ln queued job(s)?</source>
        <translation>
            <numerusform>Cancel the %Ln queued job?</numerusform>
            <numerusform>Cancel all %Ln queued jobs?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %Ln queued job(s) matching the filter (%1)?</source>
        <translation>
            <numerusform>Cancel %Ln queued job matching the filter (%1)?</numerusform>
            <numerusform>Cancel %Ln queued jobs matching the filter (%1)?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %Ln job(s)</source>
        <translation>
            <numerusform>Cancel %Ln job</numerusform>
            <numerusform>Cancel %Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %Ln queued job(s).</source>
        <translation>
            <numerusform>Cancelled %Ln queued job.</numerusform>
            <numerusform>Cancelled %Ln queued jobs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln matching loaded</source>
        <translation>
            <numerusform>%1 of %Ln matching loaded</numerusform>
            <numerusform>%1 of %Ln matching loaded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln loaded</source>
        <translation>
            <numerusform>%1 of %Ln loaded</numerusform>
            <numerusform>%1 of %Ln loaded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln match(es)</source>
        <translation>
            <numerusform>%Ln match</numerusform>
            <numerusform>%Ln matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueueStatusWidget</name>
    <message numerus="yes">
        <source>%Ln page(s)</source>
        <translation>
            <numerusform>%Ln page</numerusform>
            <numerusform>%Ln pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln record(s)</source>
        <translation>
            <numerusform>%Ln record</numerusform>
            <numerusform>%Ln records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Today: &lt;b&gt;%Ln&lt;/b&gt; run(s) completed, &lt;b&gt;%1&lt;/b&gt; failed</source>
        <translation>
            <numerusform>Today: &lt;b&gt;%Ln&lt;/b&gt; run completed, &lt;b&gt;%1&lt;/b&gt; failed</numerusform>
            <numerusform>Today: &lt;b&gt;%Ln&lt;/b&gt; runs completed, &lt;b&gt;%1&lt;/b&gt; failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScheduleTableModel</name>
    <message numerus="yes">
        <source>where there is none: the %Ln whole day(s) before the fire day (fallback_days)</source>
        <translation>
            <numerusform>where there is none: the %Ln whole day before the fire day (fallback_days)</numerusform>
            <numerusform>where there is none: the %Ln whole days before the fire day (fallback_days)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SchedulesPanel</name>
    <message numerus="yes">
        <source>%Ln schedule(s), %1 enabled</source>
        <translation>
            <numerusform>%Ln schedule, %1 enabled</numerusform>
            <numerusform>%Ln schedules, %1 enabled</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s) for schedule &quot;%1&quot;.</source>
        <translation>
            <numerusform>Queued %Ln job for schedule &quot;%1&quot;.</numerusform>
            <numerusform>Queued %Ln jobs for schedule &quot;%1&quot;.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %Ln job(s) (%1 already queued) for schedule &quot;%2&quot;.</source>
        <translation>
            <numerusform>Queued %Ln job (%1 already queued) for schedule &quot;%2&quot;.</numerusform>
            <numerusform>Queued %Ln jobs (%1 already queued) for schedule &quot;%2&quot;.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message numerus="yes">
        <source>Keep finished jobs for %Ln day(s)? Those that finished longer ago are removed, with their logs, when dealerq next starts and every hour after; the fetched records stay.</source>
        <translation>
            <numerusform>Keep finished jobs for %Ln day? Those that finished longer ago are removed, with their logs, when dealerq next starts and every hour after; the fetched records stay.</numerusform>
            <numerusform>Keep finished jobs for %Ln days? Those that finished longer ago are removed, with their logs, when dealerq next starts and every hour after; the fetched records stay.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Keep %Ln Day(s)</source>
        <translation>
            <numerusform>Keep %Ln Day</numerusform>
            <numerusform>Keep %Ln Days</numerusform>
        </translation>
    </message>
</context>
</TS>
