#pragma once

#include <QtGlobal>

/// One read of the store at a time for a panel: a refresh asked for while a read is out is made
/// once that one lands, with the panel's inputs as they are then (the landed answer is dropped).
class SingleRead final
{
public:
    /// True when a read may start now; false when one is out, which is then read again.
    bool start()
    {
        if (m_reading) {
            m_again = true;
            return false;
        }
        m_reading = true;
        return true;
    }
    /// The read landed. True when it is stale (a refresh was asked for meanwhile): drop the
    /// answer and read again.
    bool landedStale()
    {
        m_reading = false;
        const bool stale = m_again;
        m_again = false;
        return stale;
    }

private:
    bool m_reading = false;
    bool m_again = false;
};

/// Where a panel showing rows a page at a time stands: its first row, and the rows that match in
/// all as the last read counted them.
class PageCursor final
{
public:
    explicit PageCursor(int pageSize)
        : m_pageSize(pageSize)
    {}

    int offset() const { return m_offset; }
    qint64 total() const { return m_total; }
    bool hasPrevious() const { return m_offset > 0; }
    bool hasNext(int shown) const { return m_offset + shown < m_total; }

    /// Back to the first page (a new filter).
    void restart() { m_offset = 0; }
    /// To the next or the previous page; false (and nowhere) when there is none.
    bool next()
    {
        if (m_offset + m_pageSize >= m_total)
            return false;
        m_offset += m_pageSize;
        return true;
    }
    bool previous()
    {
        if (m_offset == 0)
            return false;
        m_offset = qMax(0, m_offset - m_pageSize);
        return true;
    }
    /// A page read `total` matches and came back `empty`. True when the rows shrank under this
    /// page (another filter, a removal): the cursor is then on the last page there is, to read.
    bool landed(qint64 total, bool empty)
    {
        m_total = total;
        if (!empty || m_offset == 0 || total == 0)
            return false;
        m_offset = int(((total - 1) / m_pageSize) * m_pageSize);
        return true;
    }

private:
    const int m_pageSize;
    int m_offset = 0;
    qint64 m_total = 0;
};
