package dev.lakehouse.convert;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The golden cases again with the first convert on the Java path (as incremental runs and CSV
 * files always are), so both paths are held to the same model.
 */
class ConvertGoldenJavaPathTest extends ConvertGoldenTest {
    @BeforeEach
    void javaPath() {
        Converter.bulkLoads = false;
    }

    @AfterEach
    void bulkLoadsOn() {
        Converter.bulkLoads = true;
    }
}
