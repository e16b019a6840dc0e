package dev.lakehouse.query;

import java.util.Iterator;
import java.util.List;

/** Query results as they arrive: column names, then rows one by one (never all in memory). */
public interface ResultRows extends Iterator<Object[]>, AutoCloseable {
    List<String> columns();

    @Override
    void close();
}
