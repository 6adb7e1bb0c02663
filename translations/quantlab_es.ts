<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>QObject</name>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>+inf dB</source>
        <translation>+inf dB</translation>
    </message>
    <message>
        <source>-inf dB</source>
        <translation>-inf dB</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>%1%2 dB</source>
        <translation>%1%2 dB</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <source>per tensor</source>
        <translation>por tensor</translation>
    </message>
    <message>
        <source>per channel</source>
        <translation>por canal</translation>
    </message>
    <message>
        <source>per group</source>
        <translation>por grupo</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: no se puede escribir: %2</translation>
    </message>
    <message>
        <source>%1: write failed: %2</source>
        <translation>%1: error al escribir: %2</translation>
    </message>
    <message>
        <source>%1: cannot save: %2</source>
        <translation>%1: no se puede guardar: %2</translation>
    </message>
    <message>
        <source>%1: nothing to export</source>
        <translation>%1: no hay nada que exportar</translation>
    </message>
    <message>
        <source>%1: could not render the view</source>
        <translation>%1: no se pudo dibujar la vista</translation>
    </message>
    <message>
        <source>Exported from QuantLab</source>
        <translation>Exportado desde QuantLab</translation>
    </message>
    <message>
        <source>%1: could not start the SVG</source>
        <translation>%1: no se pudo iniciar el SVG</translation>
    </message>
    <message>
        <source>The “%1” view is not part of this build yet; the step reads fine without it.</source>
        <translation>La vista «%1» todavía no forma parte de esta compilación; el paso se entiende bien sin ella.</translation>
    </message>
    <message>
        <source>lesson values</source>
        <translation>valores de la lección</translation>
    </message>
    <message>
        <source>%1 (lesson)</source>
        <translation>%1 (lección)</translation>
    </message>
    <message>
        <source>Lesson step</source>
        <translation>Paso de la lección</translation>
    </message>
    <message>
        <source>The model workspace is not available in this build, so the “%1” model is not opened.</source>
        <translation>El espacio de trabajo de modelos no está disponible en esta compilación, así que el modelo «%1» no se abre.</translation>
    </message>
    <message>
        <source>Select the layer “%1” in the model view.</source>
        <translation>Selecciona la capa «%1» en la vista del modelo.</translation>
    </message>
    <message>
        <source>Skipped “%1”: %2</source>
        <translation>Se ha omitido «%1»: %2</translation>
    </message>
    <message>
        <source>Number formats</source>
        <translation>Formatos numéricos</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>Histograma</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>Correspondencia</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>Por canal</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>unknown view &apos;%1&apos; (expected window, %2)</source>
        <translation>vista desconocida &apos;%1&apos; (se esperaba window, %2)</translation>
    </message>
    <message>
        <source>--snapshot needs an output file (-o out.png)</source>
        <translation>--snapshot necesita un archivo de salida (-o out.png)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>unknown scheme &apos;%1&apos; (expected symmetric or asymmetric)</source>
        <translation>esquema desconocido &apos;%1&apos; (se esperaba symmetric o asymmetric)</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Línea de comandos</translation>
    </message>
    <message>
        <source>Model layers</source>
        <translation>Capas del modelo</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Rendimiento</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>Predicciones</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>Sensibilidad</translation>
    </message>
    <message>
        <source>Requantization</source>
        <translation>Recuantización</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>too large for a session file</source>
        <translation>demasiado grande para un archivo de sesión</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>muestra</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Abrir sesión</translation>
    </message>
    <message>
        <source>QAT</source>
        <translation>QAT</translation>
    </message>
</context>
<context>
    <name>SlotLabel</name>
    <message>
        <source>channel %1</source>
        <translation>canal %1</translation>
    </message>
    <message>
        <source>group %1</source>
        <translation>grupo %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n of %2 channels have fewer than %3 values, so they use min-max</source>
        <translation>
            <numerusform>%1: %n de %2 canales tiene menos de %3 valores, así que usa mín-máx</numerusform>
            <numerusform>%1: %n de %2 canales tienen menos de %3 valores, así que usan mín-máx</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n of %2 groups have fewer than %3 values, so they use min-max</source>
        <translation>
            <numerusform>%1: %n de %2 grupos tiene menos de %3 valores, así que usa mín-máx</numerusform>
            <numerusform>%1: %n de %2 grupos tienen menos de %3 valores, así que usan mín-máx</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Learn and inspect neural-network quantization.</source>
        <translation>Aprende e inspecciona la cuantización de redes neuronales.</translation>
    </message>
    <message>
        <source>Tensor to open: FILE or FILE:NAME (.npy, .npz, .safetensors, .csv).</source>
        <translation>Tensor que abrir: FILE o FILE:NAME (.npy, .npz, .safetensors, .csv).</translation>
    </message>
    <message>
        <source>Snapshot output (.png).</source>
        <translation>Archivo de salida de la captura (.png).</translation>
    </message>
    <message>
        <source>Bit width (2-16).</source>
        <translation>Número de bits (2-16).</translation>
    </message>
    <message>
        <source>symmetric or asymmetric.</source>
        <translation>symmetric o asymmetric.</translation>
    </message>
    <message>
        <source>Unsigned integer codes.</source>
        <translation>Códigos enteros sin signo.</translation>
    </message>
    <message>
        <source>tensor, channel:AXIS or group:AXIS:SIZE.</source>
        <translation>tensor, channel:AXIS o group:AXIS:SIZE.</translation>
    </message>
    <message>
        <source>minmax, moving-average, percentile:P, percentile-abs:P, mse, entropy or histogram.</source>
        <translation>minmax, moving-average, percentile:P, percentile-abs:P, mse, entropy o histogram.</translation>
    </message>
    <message>
        <source>Snapshot size in pixels, e.g. 1280x720.</source>
        <translation>Tamaño de la captura en píxeles, p. ej. 1280x720.</translation>
    </message>
    <message>
        <source>expected at most one FILE[:NAME], got %1</source>
        <translation>se esperaba como mucho un FILE[:NAME], pero se recibieron %1</translation>
    </message>
    <message>
        <source>-o, --bits, --scheme, --unsigned, --granularity, --calib and --size need --snapshot VIEW</source>
        <translation>-o, --bits, --scheme, --unsigned, --granularity, --calib y --size necesitan --snapshot VIEW</translation>
    </message>
    <message>
        <source>--bits must be an integer from 2 to 16, got &apos;%1&apos;</source>
        <translation>--bits debe ser un entero de 2 a 16, pero se recibió &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--size must look like 1280x720, got &apos;%1&apos;</source>
        <translation>--size debe tener la forma 1280x720, pero se recibió &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Interface language: en, es, vi or system (default: the one chosen in View &gt; Language, else the system&apos;s).</source>
        <translation>Idioma de la interfaz: en, es, vi o system (por defecto, el elegido en Ver &gt; Idioma o, si no hay ninguno, el del sistema).</translation>
    </message>
    <message>
        <source>--language must be en, es, vi or system, got &apos;%1&apos;</source>
        <translation>--language debe ser en, es, vi o system, pero se recibió &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Render VIEW (%1) to a PNG without showing a window. A model view runs its job first (QAT: 1 epoch on 10000 images).</source>
        <translation>Dibuja la vista VIEW (%1) en un PNG sin mostrar ninguna ventana. Una vista de modelo ejecuta antes su trabajo (QAT: 1 época con 10000 imágenes).</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::BenchView</name>
    <message>
        <source>Run benchmark</source>
        <translation>Medir rendimiento</translation>
    </message>
    <message>
        <source>Latency per layer and end to end</source>
        <translation>Latencia por capa y de extremo a extremo</translation>
    </message>
    <message>
        <source>Model size</source>
        <translation>Tamaño del modelo</translation>
    </message>
    <message>
        <source>Images per forward pass. Small batches are dominated by per-call overhead; large batches show the kernels&apos; real throughput.</source>
        <translation>Imágenes por pasada hacia delante. En los lotes pequeños domina el coste fijo de cada llamada; los lotes grandes muestran el rendimiento real de los kernels.</translation>
    </message>
    <message>
        <source>Threads the batch is split over (same for fp32 and int8). More threads than images leaves threads idle.</source>
        <translation>Hilos entre los que se reparte el lote (los mismos para fp32 e int8). Si hay más hilos que imágenes, algunos hilos se quedan sin trabajo.</translation>
    </message>
    <message>
        <source>Timed runs after one warm-up run. The view shows the median, which ignores the odd run slowed down by something else on the machine.</source>
        <translation>Ejecuciones cronometradas tras una ejecución de calentamiento. La vista muestra la mediana, que ignora la ejecución suelta que otra tarea de la máquina haya ralentizado.</translation>
    </message>
    <message>
        <source>Time fp32 and int8 on the same test images, in the background.</source>
        <translation>Cronometra fp32 e int8 con las mismas imágenes de prueba, en segundo plano.</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Hilos</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Repeticiones</translation>
    </message>
    <message>
        <source>ISA: the instruction set of the int8 matrix kernel picked at run time for this CPU (reference = portable C++, avx2, avx512vnni). Speed-up = fp32 time / int8 time, end to end.</source>
        <translation>ISA: el juego de instrucciones del kernel de matrices int8 elegido en tiempo de ejecución para esta CPU (reference = C++ portable, avx2, avx512vnni). Aceleración = tiempo fp32 / tiempo int8, de extremo a extremo.</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Run benchmark&lt;/b&gt; to time fp32 and int8 on this CPU.</source>
        <translation>Pulsa &lt;b&gt;Medir rendimiento&lt;/b&gt; para cronometrar fp32 e int8 en esta CPU.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Abre primero un modelo (vista Capas del modelo).</translation>
    </message>
    <message>
        <source>&lt;br&gt;Random input images (Fashion-MNIST is not installed).</source>
        <translation>&lt;br&gt;Imágenes de entrada aleatorias (Fashion-MNIST no está instalado).</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>end to end</source>
        <translation>de extremo a extremo</translation>
    </message>
    <message>
        <source>time per batch (%1)</source>
        <translation>tiempo por lote (%1)</translation>
    </message>
    <message>
        <source>size</source>
        <translation>tamaño</translation>
    </message>
    <message>
        <source>stored bytes (KiB)</source>
        <translation>bytes guardados (KiB)</translation>
    </message>
    <message>
        <source>Model size: ×%1 smaller</source>
        <translation>Tamaño del modelo: %1 veces más pequeño</translation>
    </message>
    <message>
        <source>Stored parameters: 4 bytes each in fp32; in int8 1 byte per weight plus int32 biases and the scales / zero points (counted as quantlab-cli eval and bench count them).</source>
        <translation>Parámetros guardados: 4 bytes cada uno en fp32; en int8, 1 byte por peso más los sesgos int32 y las escalas / puntos cero (contados como los cuentan quantlab-cli eval y bench).</translation>
    </message>
    <message>
        <source>Share of the attainable peak (roofline)</source>
        <translation>Fracción del pico alcanzable (roofline)</translation>
    </message>
    <message>
        <source>How close each Linear/Conv2d layer came to what this core could do for it. The peaks are measured in the same run by tiny loops of one instruction: the fp32 fused multiply-add and the int8 kernel&apos;s multiply-add, plus the read bandwidth of the L2 and L3 caches and main memory. A layer&apos;s roof is the lower of its peak and its arithmetic intensity (operations per byte it must move) times the bandwidth of the memory that holds it. A low share of a compute roof means the kernel is the limit: a short dot product K, a small matrix, im2col.</source>
        <translation>Cuánto se acercó cada capa Linear/Conv2d a lo que este núcleo podía hacer por ella. Los picos se miden en la misma ejecución con bucles diminutos de una sola instrucción: la multiplicación-suma fusionada de fp32 y la multiplicación-suma del kernel int8, además del ancho de banda de lectura de las cachés L2 y L3 y de la memoria principal. El techo de una capa es el menor entre su pico y su intensidad aritmética (operaciones por byte que debe mover) multiplicada por el ancho de banda de la memoria que la contiene. Una fracción baja de un techo de cómputo significa que el límite es el kernel: un producto escalar K corto, una matriz pequeña, im2col.</translation>
    </message>
    <message>
        <source>%1 %2 GB/s</source>
        <translation>%1 %2 GB/s</translation>
    </message>
    <message>
        <source>&lt;br&gt;This core&apos;s peaks (measured now): fp32 %1 GFLOPS (%2), int8 %3 GOPS (%4); read bandwidth %5</source>
        <translation>&lt;br&gt;Picos de este núcleo (medidos ahora): fp32 %1 GFLOPS (%2), int8 %3 GOPS (%4); ancho de banda de lectura %5</translation>
    </message>
    <message>
        <source>&lt;br&gt;The layer bars add up to %1% (fp32) and %2% (int8) of the end-to-end time.</source>
        <translation>&lt;br&gt;Las barras de las capas suman el %1% (fp32) y el %2% (int8) del tiempo de extremo a extremo.</translation>
    </message>
    <message>
        <source>quantize input</source>
        <translation>cuantizar entrada</translation>
    </message>
    <message>
        <source>%1 (K %2)</source>
        <translation>%1 (K %2)</translation>
    </message>
    <message>
        <source>% of the attainable peak</source>
        <translation>% del pico alcanzable</translation>
    </message>
    <message>
        <source>Wall-clock time of each layer for the whole batch, from the timed run whose total is the median, so the bars are parts of one real run. An int8 Linear/Conv2d row includes its fused ReLU; the fp32 row adds the separate ReLU layer&apos;s time.</source>
        <translation>Tiempo real de cada capa para el lote completo, tomado de la ejecución cronometrada cuyo total es la mediana, de modo que las barras son partes de una misma ejecución real. Una fila int8 Linear/Conv2d incluye su ReLU fusionada; la fila fp32 suma el tiempo de la capa ReLU aparte.</translation>
    </message>
    <message numerus="yes">
        <source>Kernels fp32 &lt;b&gt;%3&lt;/b&gt;, int8 &lt;b&gt;%1&lt;/b&gt; · batch %2 · %n thread(s) · median of %4 · fp32 %5 %6, int8 %7 %6 · speed-up &lt;b&gt;×%8&lt;/b&gt;</source>
        <translation>
            <numerusform>Kernels fp32 &lt;b&gt;%3&lt;/b&gt;, int8 &lt;b&gt;%1&lt;/b&gt; · lote %2 · %n hilo · mediana de %4 · fp32 %5 %6, int8 %7 %6 · aceleración &lt;b&gt;×%8&lt;/b&gt;</numerusform>
            <numerusform>Kernels fp32 &lt;b&gt;%3&lt;/b&gt;, int8 &lt;b&gt;%1&lt;/b&gt; · lote %2 · %n hilos · mediana de %4 · fp32 %5 %6, int8 %7 %6 · aceleración &lt;b&gt;×%8&lt;/b&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>quantlab::ui::BitCellsWidget</name>
    <message>
        <source>Click a bit to flip it. Up/Right steps to the next larger value, Down/Left to the next smaller one (one ULP).</source>
        <translation>Haz clic en un bit para invertirlo. Arriba/Derecha pasa al siguiente valor mayor y Abajo/Izquierda al siguiente menor (un ULP).</translation>
    </message>
    <message>
        <source>sign</source>
        <translation>signo</translation>
    </message>
    <message>
        <source>exponent</source>
        <translation>exponente</translation>
    </message>
    <message>
        <source>mantissa</source>
        <translation>mantisa</translation>
    </message>
    <message>
        <source>the sign bit: 0 = positive, 1 = negative</source>
        <translation>el bit de signo: 0 = positivo, 1 = negativo</translation>
    </message>
    <message>
        <source>exponent bit worth 2^%1 in the biased exponent (bias %2)</source>
        <translation>bit de exponente que vale 2^%1 en el exponente sesgado (sesgo %2)</translation>
    </message>
    <message>
        <source>mantissa bit worth 2^-%1 of the significand</source>
        <translation>bit de mantisa que vale 2^-%1 del significando</translation>
    </message>
    <message>
        <source>bit %1: %2. Click to flip it.</source>
        <translation>bit %1: %2. Haz clic para invertirlo.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ControlsPanel</name>
    <message>
        <source>Integer grid</source>
        <translation>Rejilla entera</translation>
    </message>
    <message>
        <source> bits</source>
        <translation> bits</translation>
    </message>
    <message>
        <source>Bit width b: the grid has 2^b levels. Every extra bit halves the step size (the scale) and adds about 6 dB of SQNR. Ctrl+Up / Ctrl+Down change it from anywhere.</source>
        <translation>Número de bits b: la rejilla tiene 2^b niveles. Cada bit adicional reduce el paso (la escala) a la mitad y añade unos 6 dB de SQNR. Ctrl+Arriba / Ctrl+Abajo lo cambian desde cualquier sitio.</translation>
    </message>
    <message>
        <source>The integer codes the grid can use (qmin to qmax).</source>
        <translation>Los códigos enteros que puede usar la rejilla (de qmin a qmax).</translation>
    </message>
    <message>
        <source>signed (int)</source>
        <translation>con signo (int)</translation>
    </message>
    <message>
        <source>unsigned (uint)</source>
        <translation>sin signo (uint)</translation>
    </message>
    <message>
        <source>Signed codes run from -2^(b-1) to 2^(b-1)-1 (int8: -128..127); unsigned codes from 0 to 2^b-1 (uint8: 0..255). Unsigned suits ReLU outputs, which are never negative.</source>
        <translation>Los códigos con signo van de -2^(b-1) a 2^(b-1)-1 (int8: -128..127); los códigos sin signo, de 0 a 2^b-1 (uint8: 0..255). Sin signo conviene a las salidas de ReLU, que nunca son negativas.</translation>
    </message>
    <message>
        <source>symmetric</source>
        <translation>simétrico</translation>
    </message>
    <message>
        <source>asymmetric (affine)</source>
        <translation>asimétrico (afín)</translation>
    </message>
    <message>
        <source>Symmetric: the range is ±max|x| and real 0 maps to code 0 (no zero point to add). Asymmetric: the range is [min, max] and a zero point shifts the grid so it fits lopsided data such as ReLU outputs, at the cost of an extra add.</source>
        <translation>Simétrico: el rango es ±max|x| y el 0 real corresponde al código 0 (no hay punto cero que sumar). Asimétrico: el rango es [min, max] y un punto cero desplaza la rejilla para que se ajuste a datos descompensados, como las salidas de ReLU, a cambio de una suma más.</translation>
    </message>
    <message>
        <source>Narrow range</source>
        <translation>Rango estrecho</translation>
    </message>
    <message>
        <source>Drop the lowest code (int8 becomes -127..127) so the grid is exactly symmetric around zero, as some accelerators require.</source>
        <translation>Descarta el código más bajo (int8 pasa a ser -127..127) para que la rejilla sea exactamente simétrica respecto al cero, como exigen algunos aceleradores.</translation>
    </message>
    <message>
        <source>&amp;Bits:</source>
        <translation>&amp;Bits:</translation>
    </message>
    <message>
        <source>Codes:</source>
        <translation>Códigos:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <source>&amp;Scheme:</source>
        <translation>&amp;Esquema:</translation>
    </message>
    <message>
        <source>Granularity</source>
        <translation>Granularidad</translation>
    </message>
    <message>
        <source>How many scales the tensor gets. Per tensor: one scale for everything, so one outlier coarsens the whole grid. Per channel: one scale per slice along the axis (usually the output channels of a weight). Per group: one scale per block of elements along the axis, as in 4-bit LLM weights.</source>
        <translation>Cuántas escalas recibe el tensor. Por tensor: una sola escala para todo, así que un único valor atípico hace más gruesa toda la rejilla. Por canal: una escala por cada corte a lo largo del eje (normalmente los canales de salida de un peso). Por grupo: una escala por cada bloque de elementos a lo largo del eje, como en los pesos de 4 bits de los LLM.</translation>
    </message>
    <message>
        <source>The axis whose slices get their own scale (negative counts from the end, as in numpy).</source>
        <translation>El eje cuyos cortes reciben su propia escala (los valores negativos cuentan desde el final, como en numpy).</translation>
    </message>
    <message>
        <source>Elements per group along the axis; smaller groups follow the data more closely but store more scales.</source>
        <translation>Elementos por grupo a lo largo del eje; los grupos más pequeños se ajustan mejor a los datos, pero guardan más escalas.</translation>
    </message>
    <message>
        <source>&amp;Granularity:</source>
        <translation>&amp;Granularidad:</translation>
    </message>
    <message>
        <source>&amp;Axis:</source>
        <translation>E&amp;je:</translation>
    </message>
    <message>
        <source>Group si&amp;ze:</source>
        <translation>Tamaño de grup&amp;o:</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Calibración</translation>
    </message>
    <message>
        <source>min-max</source>
        <translation>mín-máx</translation>
    </message>
    <message>
        <source>moving-average min-max</source>
        <translation>mín-máx con media móvil</translation>
    </message>
    <message>
        <source>percentile</source>
        <translation>percentil</translation>
    </message>
    <message>
        <source>MSE (minimum error)</source>
        <translation>MSE (error mínimo)</translation>
    </message>
    <message>
        <source>entropy (KL, TensorRT)</source>
        <translation>entropía (KL, TensorRT)</translation>
    </message>
    <message>
        <source>histogram L2 (PyTorch)</source>
        <translation>histograma L2 (PyTorch)</translation>
    </message>
    <message>
        <source>How the clipping range is chosen. Min-max keeps every value but lets outliers stretch the grid; percentile, MSE, entropy and histogram L2 clip the rare extremes so the common values get finer steps.</source>
        <translation>Cómo se elige el rango de recorte. Mín-máx conserva todos los valores, pero deja que los valores atípicos estiren la rejilla; percentil, MSE, entropía e histograma L2 recortan los extremos poco frecuentes para que los valores habituales tengan pasos más finos.</translation>
    </message>
    <message>
        <source>Keep this share of the values inside the range: 99.99 % clips the 0.01 % most extreme values on each side.</source>
        <translation>Proporción de los valores que queda dentro del rango: con 99,99 % se recorta el 0,01 % de valores más extremos de cada lado.</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Método:</translation>
    </message>
    <message>
        <source>&amp;Percentile:</source>
        <translation>&amp;Percentil:</translation>
    </message>
    <message>
        <source>Clipping range</source>
        <translation>Rango de recorte</translation>
    </message>
    <message>
        <source>Automatic (from calibration)</source>
        <translation>Automático (según la calibración)</translation>
    </message>
    <message>
        <source>Checked: the calibration method picks the range. Edit the bounds to clip by hand; values outside [low, high] saturate.</source>
        <translation>Marcado: el método de calibración elige el rango. Edita los límites para recortar a mano; los valores fuera de [inferior, superior] se saturan.</translation>
    </message>
    <message>
        <source>Lower clipping bound: smaller values all map to the lowest code.</source>
        <translation>Límite inferior de recorte: todos los valores menores van al código más bajo.</translation>
    </message>
    <message>
        <source>Upper clipping bound: larger values all map to the highest code.</source>
        <translation>Límite superior de recorte: todos los valores mayores van al código más alto.</translation>
    </message>
    <message>
        <source>&amp;Low:</source>
        <translation>&amp;Inferior:</translation>
    </message>
    <message>
        <source>&amp;High:</source>
        <translation>&amp;Superior:</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>Con signo</translation>
    </message>
    <message>
        <source>Unsigned</source>
        <translation>Sin signo</translation>
    </message>
    <message>
        <source>Scheme: %1</source>
        <translation>Esquema: %1</translation>
    </message>
    <message>
        <source>Full range</source>
        <translation>Rango completo</translation>
    </message>
    <message>
        <source>Bits: %1</source>
        <translation>Bits: %1</translation>
    </message>
    <message>
        <source>Granularity: %1</source>
        <translation>Granularidad: %1</translation>
    </message>
    <message>
        <source>%1 … %2  (%3 levels)</source>
        <translation>%1 … %2  (%3 niveles)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ErrorView</name>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>Signal power over error power, in dB. Higher is better.</source>
        <translation>Potencia de la señal entre potencia del error, en dB. Cuanto más alta, mejor.</translation>
    </message>
    <message>
        <source>Signal-to-quantization-noise ratio: 20 log10(||x|| / ||x - x_hat||). An ideal b-bit quantizer of a full-scale sine wave reaches about 6.02 b + 1.76 dB (the 1.76 dB belongs to the sine; other signal shapes land elsewhere): every extra bit halves the step and adds about 6 dB.</source>
        <translation>Relación señal-ruido de cuantización: 20 log10(||x|| / ||x - x_hat||). Un cuantizador ideal de b bits con una onda senoidal a escala completa alcanza unos 6,02 b + 1,76 dB (los 1,76 dB son propios de la senoide; otras formas de señal quedan en otro valor): cada bit adicional reduce el paso a la mitad y añade unos 6 dB.</translation>
    </message>
    <message>
        <source>RMSE / scale</source>
        <translation>RMSE / escala</translation>
    </message>
    <message>
        <source>Error in grid steps; pure rounding gives 1/sqrt(12) = 0.289.</source>
        <translation>Error en pasos de la rejilla; el redondeo puro da 1/sqrt(12) = 0,289.</translation>
    </message>
    <message>
        <source>The root-mean-square error measured in units of the quantization step. Rounding to the nearest level leaves an error spread evenly over [-scale/2, scale/2], whose RMS is scale/sqrt(12). Clipping makes it larger; a perfect fit of the levels to the data makes it smaller.</source>
        <translation>La raíz del error cuadrático medio, medida en unidades del paso de cuantización. Redondear al nivel más cercano deja un error repartido uniformemente en [-escala/2, escala/2], cuyo valor RMS es escala/sqrt(12). El recorte lo aumenta; un ajuste perfecto de los niveles a los datos lo reduce.</translation>
    </message>
    <message>
        <source>Clipped</source>
        <translation>Recortados</translation>
    </message>
    <message>
        <source>Share of values outside the clipping range.</source>
        <translation>Proporción de valores fuera del rango de recorte.</translation>
    </message>
    <message>
        <source>Values outside the clipping range are saturated to the first or last code. Their error can be far larger than half a step.</source>
        <translation>Los valores fuera del rango de recorte se saturan al primer o al último código. Su error puede ser mucho mayor que medio paso.</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Mean of the squared error (x - x_hat)^2.</source>
        <translation>Media del error al cuadrado (x - x_hat)^2.</translation>
    </message>
    <message>
        <source>Mean squared error: the average of (x - x_hat)^2. Large errors dominate it.</source>
        <translation>Error cuadrático medio: la media de (x - x_hat)^2. Los errores grandes pesan mucho en él.</translation>
    </message>
    <message>
        <source>RMSE</source>
        <translation>RMSE</translation>
    </message>
    <message>
        <source>Square root of the MSE, in the units of x.</source>
        <translation>Raíz cuadrada del MSE, en las unidades de x.</translation>
    </message>
    <message>
        <source>Root-mean-square error: sqrt(MSE), in the same units as the values.</source>
        <translation>Raíz del error cuadrático medio: sqrt(MSE), en las mismas unidades que los valores.</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>Mean of |x - x_hat|.</source>
        <translation>Media de |x - x_hat|.</translation>
    </message>
    <message>
        <source>Mean absolute error: the average size of the error, less sensitive to a few large errors than the MSE.</source>
        <translation>Error absoluto medio: el tamaño medio del error, menos sensible que el MSE a unos pocos errores grandes.</translation>
    </message>
    <message>
        <source>Max |error|</source>
        <translation>Máx. |error|</translation>
    </message>
    <message>
        <source>Worst single value; at most scale/2 unless clipped.</source>
        <translation>El peor valor individual; como mucho escala/2 si no hay recorte.</translation>
    </message>
    <message>
        <source>The largest |x - x_hat| over the tensor. Without clipping it cannot exceed half a step (scale/2).</source>
        <translation>El mayor |x - x_hat| de todo el tensor. Sin recorte no puede superar medio paso (escala/2).</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Coseno</translation>
    </message>
    <message>
        <source>Direction agreement of x and x_hat; 1 = same.</source>
        <translation>Coincidencia de dirección entre x y x_hat; 1 = la misma.</translation>
    </message>
    <message>
        <source>Cosine similarity &lt;x, x_hat&gt; / (||x|| ||x_hat||): 1 when the reconstruction points the same way as the original, whatever its length.</source>
        <translation>Similitud coseno &lt;x, x_hat&gt; / (||x|| ||x_hat||): vale 1 cuando la reconstrucción apunta en la misma dirección que el original, sea cual sea su longitud.</translation>
    </message>
    <message>
        <source>Normalised L2</source>
        <translation>L2 normalizado</translation>
    </message>
    <message>
        <source>||x - x_hat|| / ||x||: relative error.</source>
        <translation>||x - x_hat|| / ||x||: error relativo.</translation>
    </message>
    <message>
        <source>The error&apos;s length relative to the signal&apos;s length; SQNR = -20 log10 of it.</source>
        <translation>La longitud del error en relación con la longitud de la señal; SQNR = -20 log10 de este valor.</translation>
    </message>
    <message>
        <source>Error x - x_hat (dashed: ±scale/2)</source>
        <translation>Error x - x_hat (discontinuas: ±escala/2)</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>count (log)</source>
        <translation>recuento (log)</translation>
    </message>
    <message>
        <source>error histogram</source>
        <translation>histograma del error</translation>
    </message>
    <message>
        <source>How the error x - x_hat is distributed. Pure rounding gives a flat block between -scale/2 and +scale/2 (dashed lines); clipped values add far-out tails.</source>
        <translation>Cómo se distribuye el error x - x_hat. El redondeo puro da un bloque plano entre -escala/2 y +escala/2 (líneas discontinuas); los valores recortados añaden colas lejanas.</translation>
    </message>
    <message>
        <source>Reconstructed vs original</source>
        <translation>Reconstruido frente a original</translation>
    </message>
    <message>
        <source>original x</source>
        <translation>x original</translation>
    </message>
    <message>
        <source>x_hat</source>
        <translation>x_hat</translation>
    </message>
    <message>
        <source>values</source>
        <translation>valores</translation>
    </message>
    <message>
        <source>y = x (no error)</source>
        <translation>y = x (sin error)</translation>
    </message>
    <message>
        <source>Each dot is one value: original on x, reconstruction on y. The staircase shows the quantization levels; flat ends are clipped values.</source>
        <translation>Cada punto es un valor: el original en el eje x y la reconstrucción en el eje y. La escalera muestra los niveles de cuantización; los extremos planos son valores recortados.</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>Rule of thumb for %2 bits: %1 (6.02 b + 1.76, full-scale sine)</source>
        <translation>Regla práctica para %2 bits: %1 (6,02 b + 1,76, senoide a escala completa)</translation>
    </message>
    <message>
        <source>Ideal for pure rounding: %1 (1/sqrt(12))</source>
        <translation>Ideal con redondeo puro: %1 (1/sqrt(12))</translation>
    </message>
    <message>
        <source>%1 of %2 values</source>
        <translation>%1 de %2 valores</translation>
    </message>
    <message>
        <source>Error x - x_hat, 1 value in %1 while dragging (dashed: ±scale/2)</source>
        <translation>Error x - x_hat, 1 valor de cada %1 mientras arrastra (discontinuas: ±escala/2)</translation>
    </message>
    <message>
        <source>%1 of %2 values of a sample; the exact pass follows</source>
        <translation>%1 de %2 valores de una muestra; luego llega el recorrido exacto</translation>
    </message>
    <message>
        <source>Error x - x_hat of a sample of %1 values (dashed: ±scale/2)</source>
        <translation>Error x - x_hat de una muestra de %1 valores (discontinua: ±escala/2)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::GeneratorDialog</name>
    <message>
        <source>Generate a synthetic tensor</source>
        <translation>Generar un tensor sintético</translation>
    </message>
    <message>
        <source>Normal (Gaussian) — typical weights</source>
        <translation>Normal (gaussiana) — pesos típicos</translation>
    </message>
    <message>
        <source>Laplace — peaked weights with heavier tails</source>
        <translation>Laplace — pesos con un pico marcado y colas más pesadas</translation>
    </message>
    <message>
        <source>Uniform — every value equally likely</source>
        <translation>Uniforme — todos los valores igual de probables</translation>
    </message>
    <message>
        <source>Half-normal — positive only</source>
        <translation>Seminormal — solo positivos</translation>
    </message>
    <message>
        <source>ReLU output — half exact zeros</source>
        <translation>Salida de ReLU — la mitad son ceros exactos</translation>
    </message>
    <message>
        <source>Bimodal — two clusters</source>
        <translation>Bimodal — dos grupos</translation>
    </message>
    <message>
        <source>The shape of the value distribution. Heavy tails and outliers stretch the min-max range, which wastes quantization levels on values that rarely occur.</source>
        <translation>La forma de la distribución de los valores. Las colas pesadas y los valores atípicos estiran el rango mín-máx, lo que desperdicia niveles de cuantización en valores que casi nunca aparecen.</translation>
    </message>
    <message>
        <source>Dimensions separated by commas or &apos;x&apos;, e.g. 64, 3, 3, 3 for a conv weight (out channels first).</source>
        <translation>Dimensiones separadas por comas o &apos;x&apos;, p. ej. 64, 3, 3, 3 para un peso de convolución (primero los canales de salida).</translation>
    </message>
    <message>
        <source>Centre of the distribution.</source>
        <translation>Centro de la distribución.</translation>
    </message>
    <message>
        <source>Standard deviation (spread).</source>
        <translation>Desviación típica (dispersión).</translation>
    </message>
    <message>
        <source>Smallest value (inclusive).</source>
        <translation>Valor más pequeño (incluido).</translation>
    </message>
    <message>
        <source>Largest value (exclusive).</source>
        <translation>Valor más grande (excluido).</translation>
    </message>
    <message>
        <source>Centre (peak) of the Laplace distribution.</source>
        <translation>Centro (pico) de la distribución de Laplace.</translation>
    </message>
    <message>
        <source>Laplace scale b: the mean absolute distance from the centre.</source>
        <translation>Escala b de Laplace: la distancia absoluta media al centro.</translation>
    </message>
    <message>
        <source>Distance of each mode from the centre (in value units).</source>
        <translation>Distancia de cada moda al centro (en unidades de los valores).</translation>
    </message>
    <message>
        <source>How many values are replaced by ±magnitude. A handful of outliers is enough to ruin per-tensor min-max quantization.</source>
        <translation>Cuántos valores se sustituyen por ±magnitud. Basta un puñado de valores atípicos para arruinar la cuantización mín-máx por tensor.</translation>
    </message>
    <message>
        <source>Absolute value of the outliers.</source>
        <translation>Valor absoluto de los valores atípicos.</translation>
    </message>
    <message>
        <source>The same seed always gives the same tensor, on every machine.</source>
        <translation>La misma semilla da siempre el mismo tensor, en cualquier máquina.</translation>
    </message>
    <message>
        <source>A name for the tensor, shown in the status bar.</source>
        <translation>Un nombre para el tensor, que se muestra en la barra de estado.</translation>
    </message>
    <message>
        <source>&amp;Distribution:</source>
        <translation>&amp;Distribución:</translation>
    </message>
    <message>
        <source>S&amp;hape:</source>
        <translation>&amp;Forma:</translation>
    </message>
    <message>
        <source>&amp;Mean:</source>
        <translation>&amp;Media:</translation>
    </message>
    <message>
        <source>&amp;Std. deviation:</source>
        <translation>Desviación &amp;típica:</translation>
    </message>
    <message>
        <source>&amp;Low:</source>
        <translation>Mín&amp;imo:</translation>
    </message>
    <message>
        <source>&amp;High:</source>
        <translation>Má&amp;ximo:</translation>
    </message>
    <message>
        <source>L&amp;ocation:</source>
        <translation>&amp;Posición:</translation>
    </message>
    <message>
        <source>Sc&amp;ale:</source>
        <translation>&amp;Escala:</translation>
    </message>
    <message>
        <source>Se&amp;paration:</source>
        <translation>Sepa&amp;ración:</translation>
    </message>
    <message>
        <source>&amp;Outliers:</source>
        <translation>&amp;Valores atípicos:</translation>
    </message>
    <message>
        <source>Outlier ma&amp;gnitude:</source>
        <translation>Magnit&amp;ud de los atípicos:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>&amp;Semilla:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generar</translation>
    </message>
    <message>
        <source>The shape must be positive integers separated by commas, e.g. 16, 256.</source>
        <translation>La forma deben ser enteros positivos separados por comas, p. ej. 16, 256.</translation>
    </message>
    <message>
        <source>That shape has too many elements (the limit is %1).</source>
        <translation>Esa forma tiene demasiados elementos (el límite es %1).</translation>
    </message>
    <message>
        <source>More outliers than elements.</source>
        <translation>Hay más valores atípicos que elementos.</translation>
    </message>
    <message>
        <source>High must be larger than low.</source>
        <translation>El máximo debe ser mayor que el mínimo.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::HistogramView</name>
    <message>
        <source>Value histogram and clipping range</source>
        <translation>Histograma de valores y rango de recorte</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>count</source>
        <translation>recuento</translation>
    </message>
    <message>
        <source>count (log scale)</source>
        <translation>recuento (escala logarítmica)</translation>
    </message>
    <message>
        <source>histogram</source>
        <translation>histograma</translation>
    </message>
    <message>
        <source>&lt;p&gt;Histogram of the tensor&apos;s values.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Black lines&lt;/b&gt;: the clipping range. Drag them: values outside are clipped to the first / last integer code (shaded tails). A drag is one undo step.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Grey grid&lt;/b&gt;: the values the integer codes dequantize to (scale &amp;times; (q &amp;minus; zero point)); every value is rounded to the nearest one.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Coloured brackets&lt;/b&gt;: the range each calibration method would choose.&lt;/p&gt;&lt;p&gt;Click a bar to inspect its value in the number-format view.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Histograma de los valores del tensor.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Líneas negras&lt;/b&gt;: el rango de recorte. Arrástralas: los valores de fuera se recortan al primer / último código entero (colas sombreadas). Cada arrastre es un paso de deshacer.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Rejilla gris&lt;/b&gt;: los valores a los que se descuantizan los códigos enteros (escala &amp;times; (q &amp;minus; punto cero)); cada valor se redondea al más cercano.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Corchetes de colores&lt;/b&gt;: el rango que elegiría cada método de calibración.&lt;/p&gt;&lt;p&gt;Haz clic en una barra para inspeccionar su valor en la vista de formatos numéricos.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Log counts</source>
        <translation>Recuento logarítmico</translation>
    </message>
    <message>
        <source>Show counts on a logarithmic axis, so that rare outliers, which decide the min-max range, stay visible.</source>
        <translation>Muestra los recuentos en un eje logarítmico, para que los valores atípicos poco frecuentes, que deciden el rango mín-máx, sigan siendo visibles.</translation>
    </message>
    <message>
        <source>Fraction of the values that lie outside the clipping range and are saturated to the end codes. Clipping error can be much larger than rounding error.</source>
        <translation>Fracción de los valores que quedan fuera del rango de recorte y se saturan a los códigos extremos. El error de recorte puede ser mucho mayor que el error de redondeo.</translation>
    </message>
    <message>
        <source>The grid of representable values: code q maps back to scale &amp;times; (q &amp;minus; zero point).</source>
        <translation>La rejilla de valores representables: el código q vuelve a escala &amp;times; (q &amp;minus; punto cero).</translation>
    </message>
    <message>
        <source>The ranges that each calibration method would choose for this tensor and bit width. Choosing one in the controls makes it the clipping range.</source>
        <translation>Los rangos que elegiría cada método de calibración para este tensor y este número de bits. Si eliges uno en los controles, pasa a ser el rango de recorte.</translation>
    </message>
    <message>
        <source>clipped: %1</source>
        <translation>recortados: %1</translation>
    </message>
    <message>
        <source>%1 [%2, %3]</source>
        <translation>%1 [%2, %3]</translation>
    </message>
    <message>
        <source>clipped %1</source>
        <translation>recortados %1</translation>
    </message>
    <message>
        <source>(computing the calibration ranges…)</source>
        <translation>(calculando los rangos de calibración…)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 clipped&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 recortados&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No quantization grid</source>
        <translation>Sin rejilla de cuantización</translation>
    </message>
    <message>
        <source>Grid: %1 levels in view, step %2%3</source>
        <translation>Rejilla: %1 niveles visibles, paso %2%3</translation>
    </message>
    <message>
        <source>Grid: %1 levels in view, 1 in %2 drawn, step %3%4</source>
        <translation>Rejilla: %1 niveles visibles, se dibuja 1 de cada %2, paso %3%4</translation>
    </message>
    <message>
        <source>&lt;b&gt;Error:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Error:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1 clipping limit: %2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Drag to change the range; values beyond it are saturated to the %3 code. One drag is one undo step.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Límite %1 de recorte: %2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Arrástralo para cambiar el rango; los valores que lo sobrepasan se saturan al %3 código. Cada arrastre es un paso de deshacer.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Upper</source>
        <translation>superior</translation>
    </message>
    <message>
        <source>Lower</source>
        <translation>inferior</translation>
    </message>
    <message>
        <source>last</source>
        <translation>último</translation>
    </message>
    <message>
        <source>first</source>
        <translation>primer</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1 values&lt;/b&gt; near %2 (bin width %3)&lt;/p&gt;&lt;p&gt;Click to inspect this value in the number-format view.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1 valores&lt;/b&gt; cerca de %2 (ancho del intervalo: %3)&lt;/p&gt;&lt;p&gt;Haz clic para inspeccionar este valor en la vista de formatos numéricos.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>probed %1</source>
        <translation>inspeccionado %1</translation>
    </message>
    <message>
        <source>count (log)</source>
        <translation>recuento (log)</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>paso %1</translation>
    </message>
    <message>
        <source>(ranges for %1, updating…)</source>
        <translation>(rangos para %1, actualizando…)</translation>
    </message>
    <message>
        <source>clipping range</source>
        <translation>rango de recorte</translation>
    </message>
    <message>
        <source>Percentile, MSE, entropy and histogram calibration estimate a distribution: a channel or group with only a few dozen values is too small for that, so its range is its minimum and maximum instead.</source>
        <translation>La calibración por percentil, MSE, entropía e histograma estima una distribución: un canal o grupo con solo unas decenas de valores es demasiado pequeño para ello, así que su rango pasa a ser su mínimo y su máximo.</translation>
    </message>
    <message>
        <source>clipping range [%1, %2]</source>
        <translation>rango de recorte [%1, %2]</translation>
    </message>
    <message>
        <source>clipping range of %1 [%2, %3]</source>
        <translation>rango de recorte del %1 [%2, %3]</translation>
    </message>
    <message>
        <source>whole tensor:</source>
        <translation>tensor completo:</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <source>Value histogram of a sample (%1 of %2 values) and clipping range</source>
        <translation>Histograma de una muestra (%1 de %2 valores) y rango de recorte</translation>
    </message>
    <message>
        <source>histogram, error and calibration ranges from a sample</source>
        <translation>histograma, error y rangos de calibración de una muestra</translation>
    </message>
    <message>
        <source>error and calibration ranges from a sample</source>
        <translation>error y rangos de calibración de una muestra</translation>
    </message>
    <message>
        <source>histogram and error exact over every value, calibration ranges from a sample</source>
        <translation>histograma y error exactos sobre todos los valores, rangos de calibración de una muestra</translation>
    </message>
    <message>
        <source>stop the exact pass</source>
        <translation>detener el recorrido exacto</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::LessonPlayer</name>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>The language the lessons are shown in.</source>
        <translation>El idioma en que se muestran las lecciones.</translation>
    </message>
    <message>
        <source>Double-click (or press Enter on) a lesson to start it.</source>
        <translation>Haz doble clic en una lección (o selecciónala y pulsa Intro) para empezarla.</translation>
    </message>
    <message>
        <source>&amp;Start lesson</source>
        <translation>&amp;Empezar lección</translation>
    </message>
    <message>
        <source>◀ Lessons</source>
        <translation>◀ Lecciones</translation>
    </message>
    <message>
        <source>Back to the list of lessons</source>
        <translation>Volver a la lista de lecciones</translation>
    </message>
    <message>
        <source>◀ &amp;Previous</source>
        <translation>◀ &amp;Anterior</translation>
    </message>
    <message>
        <source>The previous step (Page Up, Alt+Left)</source>
        <translation>El paso anterior (Re Pág, Alt+Izquierda)</translation>
    </message>
    <message>
        <source>&amp;Reset step</source>
        <translation>&amp;Restablecer paso</translation>
    </message>
    <message>
        <source>Apply this step&apos;s settings again (after you experimented)</source>
        <translation>Vuelve a aplicar los ajustes de este paso (después de experimentar)</translation>
    </message>
    <message>
        <source>&amp;Next ▶</source>
        <translation>&amp;Siguiente ▶</translation>
    </message>
    <message>
        <source>The next step (Page Down, Alt+Right)</source>
        <translation>El paso siguiente (Av Pág, Alt+Derecha)</translation>
    </message>
    <message>
        <source>%1. %2
%3  (%4 min)</source>
        <translation>%1. %2
%3  (%4 min)</translation>
    </message>
    <message>
        <source>Cannot read the lessons: %1</source>
        <translation>No se pueden leer las lecciones: %1</translation>
    </message>
    <message>
        <source>No lessons found in “%1”.</source>
        <translation>No se han encontrado lecciones en «%1».</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>Paso %1 de %2</translation>
    </message>
    <message>
        <source>Your answer (a number)</source>
        <translation>Tu respuesta (un número)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Comprobar</translation>
    </message>
    <message>
        <source>Pick one of the answers first.</source>
        <translation>Elige primero una de las respuestas.</translation>
    </message>
    <message>
        <source>Type a number, e.g. 0.25 or -3.</source>
        <translation>Escribe un número, p. ej. 0,25 o -3.</translation>
    </message>
    <message>
        <source>✔ Right.</source>
        <translation>✔ Correcto.</translation>
    </message>
    <message>
        <source>✘ Not quite — the answer is %1.</source>
        <translation>✘ No del todo — la respuesta es %1.</translation>
    </message>
    <message>
        <source>✘ Not quite.</source>
        <translation>✘ No del todo.</translation>
    </message>
    <message>
        <source>Try again.</source>
        <translation>Inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>Check the sign.</source>
        <translation>Revisa el signo.</translation>
    </message>
    <message>
        <source>Check the decimal point: the answer is off by a power of ten.</source>
        <translation>Revisa la coma decimal: la respuesta difiere en una potencia de diez.</translation>
    </message>
    <message>
        <source>Close — check the rounding.</source>
        <translation>Cerca — revisa el redondeo.</translation>
    </message>
    <message>
        <source>That is too high.</source>
        <translation>Es demasiado alto.</translation>
    </message>
    <message>
        <source>That is too low.</source>
        <translation>Es demasiado bajo.</translation>
    </message>
    <message>
        <source>Read the step again and pick another answer.</source>
        <translation>Vuelve a leer el paso y elige otra respuesta.</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sin empezar</translation>
    </message>
    <message>
        <source>✔ Done: all questions right</source>
        <translation>✔ Terminada: todas las preguntas correctas</translation>
    </message>
    <message>
        <source>Questions right: %1/%2</source>
        <translation>Preguntas correctas: %1/%2</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::MainWindow</name>
    <message>
        <source>QuantLab</source>
        <translation>QuantLab</translation>
    </message>
    <message>
        <source>Loaded %1</source>
        <translation>Cargado: %1</translation>
    </message>
    <message>
        <source>Loading cancelled</source>
        <translation>Carga cancelada</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Cuantización</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>Lecciones</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <source>Open a tensor file (.npy, .npz, .safetensors, .csv) or the weights (initializers) of an .onnx model (Ctrl+O). You can also drop a file onto the window.</source>
        <translation>Abre un archivo de tensor (.npy, .npz, .safetensors, .csv) o los pesos (inicializadores) de un modelo .onnx (Ctrl+O). También puedes soltar un archivo sobre la ventana.</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>&amp;Generate…</source>
        <translation>&amp;Generar…</translation>
    </message>
    <message>
        <source>Make a synthetic tensor: choose a distribution, a shape and a few outliers, and watch what they do to the grid (Ctrl+G).</source>
        <translation>Crea un tensor sintético: elige una distribución, una forma y unos cuantos valores atípicos, y observa lo que le hacen a la rejilla (Ctrl+G).</translation>
    </message>
    <message>
        <source>Open &amp;Session…</source>
        <translation>Abrir &amp;sesión…</translation>
    </message>
    <message>
        <source>Open a QuantLab session</source>
        <translation>Abrir una sesión de QuantLab</translation>
    </message>
    <message>
        <source>QuantLab sessions (*.qlab);;All files (*)</source>
        <translation>Sesiones de QuantLab (*.qlab);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Abierto: %1</translation>
    </message>
    <message>
        <source>Reopen a saved session: tensor, settings, view and lesson step</source>
        <translation>Vuelve a abrir una sesión guardada: tensor, ajustes, vista y paso de la lección</translation>
    </message>
    <message>
        <source>Save Sessio&amp;n…</source>
        <translation>Guardar sesió&amp;n…</translation>
    </message>
    <message>
        <source>Save the session</source>
        <translation>Guardar la sesión</translation>
    </message>
    <message>
        <source>QuantLab sessions (*.qlab)</source>
        <translation>Sesiones de QuantLab (*.qlab)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Guardado: %1</translation>
    </message>
    <message>
        <source>Save what the window shows (tensor source, settings, view, lesson step) as a .qlab file to reopen in class</source>
        <translation>Guarda lo que muestra la ventana (origen del tensor, ajustes, vista, paso de la lección) como archivo .qlab para volver a abrirlo en clase</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportar</translation>
    </message>
    <message>
        <source>View as &amp;PNG</source>
        <translation>Vista como &amp;PNG</translation>
    </message>
    <message>
        <source>View as &amp;SVG</source>
        <translation>Vista como &amp;SVG</translation>
    </message>
    <message>
        <source>Whole window</source>
        <translation>Ventana completa</translation>
    </message>
    <message>
        <source>&amp;Metrics as CSV…</source>
        <translation>&amp;Métricas como CSV…</translation>
    </message>
    <message>
        <source>Quantization &amp;parameters as JSON…</source>
        <translation>Pa&amp;rámetros de cuantización como JSON…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Sa&amp;lir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Undo the last change of the quantization settings (Ctrl+Z)</source>
        <translation>Deshace el último cambio de los ajustes de cuantización (Ctrl+Z)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rehacer</translation>
    </message>
    <message>
        <source>Redo the change you undid (Ctrl+Shift+Z)</source>
        <translation>Rehace el cambio que has deshecho (Ctrl+Mayús+Z)</translation>
    </message>
    <message>
        <source>One Bit &amp;More</source>
        <translation>Un bit &amp;más</translation>
    </message>
    <message>
        <source>Add one bit: twice the levels, half the step (Ctrl+Up)</source>
        <translation>Añade un bit: el doble de niveles, la mitad de paso (Ctrl+Arriba)</translation>
    </message>
    <message>
        <source>One Bit &amp;Fewer</source>
        <translation>Un bit m&amp;enos</translation>
    </message>
    <message>
        <source>Remove one bit: half the levels, twice the step (Ctrl+Down)</source>
        <translation>Quita un bit: la mitad de niveles, el doble de paso (Ctrl+Abajo)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modelo</translation>
    </message>
    <message>
        <source>Open built-in %1</source>
        <translation>Abrir el %1 integrado</translation>
    </message>
    <message>
        <source>Load the shipped Fashion-MNIST classifier and build its int8 version.</source>
        <translation>Carga el clasificador de Fashion-MNIST incluido y construye su versión int8.</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>Mostrar %1</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>&amp;Lecciones</translation>
    </message>
    <message>
        <source>Show &amp;Lessons</source>
        <translation>Mostrar &amp;lecciones</translation>
    </message>
    <message>
        <source>&amp;Presenter Mode</source>
        <translation>Modo &amp;presentador</translation>
    </message>
    <message>
        <source>Full screen, large fonts, high contrast and a pointer circle for the projector (F11)</source>
        <translation>Pantalla completa, letra grande, alto contraste y un círculo alrededor del puntero para el proyector (F11)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About QuantLab</source>
        <translation>&amp;Acerca de QuantLab</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barra de herramientas principal</translation>
    </message>
    <message>
        <source>The tensor being quantized: name, shape, dtype in its file and number of values.</source>
        <translation>El tensor que se está cuantizando: nombre, forma, dtype en su archivo y número de valores.</translation>
    </message>
    <message>
        <source>Scale: the real-valued size of one integer step (x ≈ scale · (q − zero point)).
Zero point: the integer code that stands for real 0, so zero is stored exactly.</source>
        <translation>Escala: el tamaño real de un paso entero (x ≈ escala · (q − punto cero)).
Punto cero: el código entero que representa el 0 real, para que el cero se guarde exactamente.</translation>
    </message>
    <message>
        <source>SQNR: signal-to-quantization-noise ratio, 20·log10(‖x‖ / ‖x − x̂‖) in dB. Higher is better; each extra bit adds about 6 dB for a well-used grid.</source>
        <translation>SQNR: relación señal-ruido de cuantización, 20·log10(‖x‖ / ‖x − x̂‖) en dB. Cuanto más alta, mejor; cada bit adicional añade unos 6 dB si la rejilla se aprovecha bien.</translation>
    </message>
    <message>
        <source>%1 — QuantLab</source>
        <translation>%1 — QuantLab</translation>
    </message>
    <message>
        <source>%1  ·  %2 %3  ·  %4 values</source>
        <translation>%1  ·  %2 %3  ·  %4 valores</translation>
    </message>
    <message>
        <source>scale —</source>
        <translation>escala —</translation>
    </message>
    <message>
        <source>SQNR —</source>
        <translation>SQNR —</translation>
    </message>
    <message>
        <source>Cannot quantize: %1</source>
        <translation>No se puede cuantizar: %1</translation>
    </message>
    <message>
        <source>scale %1  ·  zero point %2</source>
        <translation>escala %1  ·  punto cero %2</translation>
    </message>
    <message>
        <source>%1 scales %2 … %3</source>
        <translation>%1 escalas %2 … %3</translation>
    </message>
    <message>
        <source>SQNR %1 dB</source>
        <translation>SQNR %1 dB</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>No se puede abrir el archivo</translation>
    </message>
    <message>
        <source>The previous tensor is still loaded.</source>
        <translation>El tensor anterior sigue cargado.</translation>
    </message>
    <message>
        <source>Open a tensor</source>
        <translation>Abrir un tensor</translation>
    </message>
    <message>
        <source>Tensor files (*.npy *.npz *.safetensors *.onnx *.csv *.tsv *.txt);;NumPy (*.npy *.npz);;safetensors (*.safetensors);;ONNX model weights (*.onnx);;Text tables (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>Archivos de tensor (*.npy *.npz *.safetensors *.onnx *.csv *.tsv *.txt);;NumPy (*.npy *.npz);;safetensors (*.safetensors);;Pesos de modelos ONNX (*.onnx);;Tablas de texto (*.csv *.tsv *.txt);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>(no recent files)</source>
        <translation>(no hay archivos recientes)</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>&amp;Vaciar lista</translation>
    </message>
    <message>
        <source>Export view as SVG</source>
        <translation>Exportar la vista como SVG</translation>
    </message>
    <message>
        <source>Export view as PNG</source>
        <translation>Exportar la vista como PNG</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>Imágenes SVG (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <source>Export metrics as CSV</source>
        <translation>Exportar las métricas como CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export quantization parameters as JSON</source>
        <translation>Exportar los parámetros de cuantización como JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Archivos JSON (*.json)</translation>
    </message>
    <message>
        <source>About QuantLab</source>
        <translation>Acerca de QuantLab</translation>
    </message>
    <message>
        <source>&lt;h3&gt;QuantLab %1&lt;/h3&gt;&lt;p&gt;See what quantization does to a tensor: pick a bit width, a scheme, a granularity and a calibration method, and every view shows the grid, the clipping and the error.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;QuantLab %1&lt;/h3&gt;&lt;p&gt;Observa lo que la cuantización le hace a un tensor: elige un número de bits, un esquema, una granularidad y un método de calibración, y todas las vistas te muestran la rejilla, el recorte y el error.&lt;/p&gt;&lt;p&gt;Licencia: GPL-3.0-or-later.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Predeterminado del sistema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>QuantLab will speak %1 from the next start. Restart now? The tensor, settings, view and lesson step are kept.</source>
        <translation>QuantLab se mostrará en %1 a partir del próximo inicio. ¿Quieres reiniciar ahora? Se conservan el tensor, los ajustes, la vista y el paso de la lección.</translation>
    </message>
    <message>
        <source>&amp;Restart Now</source>
        <translation>&amp;Reiniciar ahora</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>Más &amp;tarde</translation>
    </message>
    <message>
        <source>Could not start %1; restart QuantLab by hand.</source>
        <translation>No se pudo iniciar %1; reinicia QuantLab a mano.</translation>
    </message>
    <message>
        <source>SQNR ∞ (exact: no rounding error)</source>
        <translation>SQNR ∞ (exacto: sin error de redondeo)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <source>The window has changes that are not saved in a session file. Save them before closing?</source>
        <translation>La ventana tiene cambios que no están guardados en un archivo de sesión. ¿Guardarlos antes de cerrar?</translation>
    </message>
    <message>
        <source>%1 (sample)</source>
        <translation>%1 (muestra)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::MappingView</name>
    <message>
        <source>How floats map to integer codes: q = clamp(round(x / scale) + zero point, qmin, qmax).
Symmetric: zero point fixed (0 for signed), the range is made symmetric around 0, so a tensor with only positive values never uses the negative codes.
Asymmetric (affine): the zero point shifts the grid so [min, max] covers every code.
Grey hatched codes cannot be reached by any value in the data range: wasted precision.</source>
        <translation>Cómo se convierten los valores en coma flotante en códigos enteros: q = clamp(round(x / escala) + punto cero, qmin, qmax).
Simétrica: el punto cero es fijo (0 con signo) y el rango se hace simétrico alrededor de 0, así que un tensor con solo valores positivos nunca usa los códigos negativos.
Asimétrica (afín): el punto cero desplaza la rejilla para que [mín, máx] cubra todos los códigos.
Ningún valor del rango de los datos alcanza los códigos rayados en gris: es precisión desperdiciada.</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>sin datos</translation>
    </message>
    <message>
        <source>%1 of %2 codes used</source>
        <translation>%1 de %2 códigos usados</translation>
    </message>
    <message>
        <source>Symmetric</source>
        <translation>Simétrica</translation>
    </message>
    <message>
        <source>Asymmetric</source>
        <translation>Asimétrica</translation>
    </message>
    <message>
        <source>%1 %2: scale %3, zero point %4</source>
        <translation>%1 %2: escala %3, punto cero %4</translation>
    </message>
    <message>
        <source>No finite data to map</source>
        <translation>No hay datos finitos que representar</translation>
    </message>
    <message>
        <source>float</source>
        <translation>real</translation>
    </message>
    <message>
        <source>code</source>
        <translation>código</translation>
    </message>
    <message>
        <source>(enlarge the view)</source>
        <translation>(amplía la vista)</translation>
    </message>
    <message>
        <source>data range</source>
        <translation>rango de los datos</translation>
    </message>
    <message>
        <source>clipping range</source>
        <translation>rango de recorte</translation>
    </message>
    <message>
        <source>reachable codes</source>
        <translation>códigos alcanzables</translation>
    </message>
    <message>
        <source>unused codes</source>
        <translation>códigos sin usar</translation>
    </message>
    <message>
        <source>probed value</source>
        <translation>valor consultado</translation>
    </message>
    <message>
        <source>min %1</source>
        <translation>mín %1</translation>
    </message>
    <message>
        <source>max %1</source>
        <translation>máx %1</translation>
    </message>
    <message>
        <source>min = clip %1</source>
        <translation>mín = recorte %1</translation>
    </message>
    <message>
        <source>clip %1</source>
        <translation>recorte %1</translation>
    </message>
    <message>
        <source>max = clip %1</source>
        <translation>máx = recorte %1</translation>
    </message>
    <message>
        <source>zero point %1</source>
        <translation>punto cero %1</translation>
    </message>
    <message>
        <source>%1 (unused), %2</source>
        <translation>%1 (sin usar), %2</translation>
    </message>
    <message>
        <source>%1, %2 (unused)</source>
        <translation>%1, %2 (sin usar)</translation>
    </message>
    <message>
        <source>  ·  step (scale) %1</source>
        <translation>  ·  paso (escala) %1</translation>
    </message>
    <message>
        <source>%1 %2: s = %3, z = %4</source>
        <translation>%1 %2: s = %3, z = %4</translation>
    </message>
    <message>
        <source>%1  ·  %2</source>
        <translation>%1  ·  %2</translation>
    </message>
    <message>
        <source>sym</source>
        <comment>short for symmetric</comment>
        <translation>sim</translation>
    </message>
    <message>
        <source>asym</source>
        <comment>short for asymmetric</comment>
        <translation>asim</translation>
    </message>
    <message>
        <source>%1 %2 · s = %3 · z = %4</source>
        <translation>%1 %2 · s = %3 · z = %4</translation>
    </message>
    <message>
        <source>%1 · s = %2 · z = %3</source>
        <translation>%1 · s = %2 · z = %3</translation>
    </message>
    <message>
        <source>s = %1 · z = %2</source>
        <translation>s = %1 · z = %2</translation>
    </message>
    <message numerus="yes">
        <source> (%n wasted)</source>
        <translation>
            <numerusform> (%n desperdiciado)</numerusform>
            <numerusform> (%n desperdiciados)</numerusform>
        </translation>
    </message>
    <message>
        <source>The channel or group whose scale and zero point the panels show.</source>
        <translation>El canal o grupo cuya escala y punto cero muestran los paneles.</translation>
    </message>
    <message>
        <source>Channel </source>
        <translation>Canal </translation>
    </message>
    <message>
        <source>Group </source>
        <translation>Grupo </translation>
    </message>
    <message>
        <source> of %1</source>
        <translation> de %1</translation>
    </message>
    <message>
        <source>, %1</source>
        <translation>, %1</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ModelJobBar</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stop the running job. Its partial results are thrown away.</source>
        <translation>Detiene la tarea en curso. Sus resultados parciales se descartan.</translation>
    </message>
    <message>
        <source>%1 — %p%</source>
        <translation>%1 — %p%</translation>
    </message>
    <message>
        <source>Cancelled. The partial results were thrown away.</source>
        <translation>Cancelado. Los resultados parciales se han descartado.</translation>
    </message>
    <message>
        <source>Cancelled: %1. The partial results were thrown away.</source>
        <translation>Cancelado: %1. Los resultados parciales se han descartado.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ModelSession</name>
    <message>
        <source>Opening %1</source>
        <translation>Abriendo %1</translation>
    </message>
    <message>
        <source>Fashion-MNIST is not installed (%1). Install it with: sudo apt-get install dataset-fashion-mnist. Until then the benchmark uses random images.</source>
        <translation>Fashion-MNIST no está instalado (%1). Instálalo con: sudo apt-get install dataset-fashion-mnist. Mientras tanto, la prueba de rendimiento usa imágenes aleatorias.</translation>
    </message>
    <message>
        <source>No int8 model: %1</source>
        <translation>No hay modelo int8: %1</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Prueba de rendimiento</translation>
    </message>
    <message>
        <source>Evaluating on the test set</source>
        <translation>Evaluando con el conjunto de prueba</translation>
    </message>
    <message>
        <source>Sensitivity analysis</source>
        <translation>Análisis de sensibilidad</translation>
    </message>
    <message>
        <source>No model is open.</source>
        <translation>No hay ningún modelo abierto.</translation>
    </message>
    <message>
        <source>Select a Linear or Conv2d layer in the layer table.</source>
        <translation>Selecciona una capa Linear o Conv2d en la tabla de capas.</translation>
    </message>
    <message>
        <source>The walkthrough follows the layers with weights: select a Linear or Conv2d layer.</source>
        <translation>El recorrido paso a paso sigue las capas con pesos: selecciona una capa Linear o Conv2d.</translation>
    </message>
    <message>
        <source>Quantization-aware training</source>
        <translation>Entrenamiento consciente de la cuantización</translation>
    </message>
    <message>
        <source>No QAT model yet: run the training first.</source>
        <translation>Todavía no hay ningún modelo QAT: ejecuta primero el entrenamiento.</translation>
    </message>
    <message>
        <source>Evaluating the mixed-precision plan</source>
        <translation>Evaluando el plan de precisión mixta</translation>
    </message>
    <message>
        <source>fp32 (kept)</source>
        <translation>fp32 (se mantiene)</translation>
    </message>
    <message>
        <source>W %1 · A %2</source>
        <translation>W %1 · A %2</translation>
    </message>
    <message>
        <source>%1:%2 outputs on %3 calibration images</source>
        <translation>Salidas de %1:%2 con %3 imágenes de calibración</translation>
    </message>
    <message>
        <source>The model&apos;s input %1 is not a 28×28 Fashion-MNIST image: give it its data with Open data…. Until then timing uses random inputs, and predictions, sensitivity and QAT are unavailable.</source>
        <translation>La entrada %1 del modelo no es una imagen de Fashion-MNIST de 28×28: dale sus datos con Abrir datos…. Mientras tanto, la medición de tiempos usa entradas aleatorias y no hay predicciones, sensibilidad ni QAT.</translation>
    </message>
    <message>
        <source>Open a model first: the data is fitted to its input.</source>
        <translation>Abre antes un modelo: los datos se ajustan a su entrada.</translation>
    </message>
    <message>
        <source>Opening data %1</source>
        <translation>Abriendo los datos %1</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::ModelView</name>
    <message>
        <source>Model:</source>
        <translation>Modelo:</translation>
    </message>
    <message>
        <source>The built-in Fashion-MNIST classifiers: MLP (784-256-128-10, fully connected) and CNN (two 3×3 convolutions). Choosing one loads it, the data set, and builds its int8 version (activations calibrated on 256 training images with min-max, one weight scale per output channel).</source>
        <translation>Los clasificadores de Fashion-MNIST incorporados: MLP (784-256-128-10, totalmente conectado) y CNN (dos convoluciones de 3×3). Al elegir uno se cargan el modelo y el conjunto de datos, y se construye su versión int8 (activaciones calibradas con mín–máx sobre 256 imágenes de entrenamiento, una escala de pesos por canal de salida).</translation>
    </message>
    <message>
        <source>Open ONNX…</source>
        <translation>Abrir ONNX…</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Salida</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>int8 out s / z</source>
        <translation>salida int8 s / z</translation>
    </message>
    <message>
        <source>The layer&apos;s name in the ONNX graph.</source>
        <translation>El nombre de la capa en el grafo ONNX.</translation>
    </message>
    <message>
        <source>What the layer computes. Linear and Conv2d hold the weights that get quantized; ReLU after them is fused into the int8 layer (it becomes a clamp at the zero point).</source>
        <translation>Lo que calcula la capa. Linear y Conv2d contienen los pesos que se cuantizan; la ReLU que las sigue se fusiona con la capa int8 (se convierte en un recorte en el punto cero).</translation>
    </message>
    <message>
        <source>Shape of the layer&apos;s output for one image (the batch dimension left out).</source>
        <translation>Forma de la salida de la capa para una imagen (sin la dimensión del lote).</translation>
    </message>
    <message>
        <source>Stored numbers: weights and biases.</source>
        <translation>Números guardados: pesos y sesgos.</translation>
    </message>
    <message>
        <source>Multiply-accumulates per image: the work an int8 kernel does with integer instructions instead of float ones.</source>
        <translation>Multiplicaciones-acumulaciones (MACs) por imagen: el trabajo que un núcleo int8 hace con instrucciones enteras en lugar de instrucciones de coma flotante.</translation>
    </message>
    <message>
        <source>Storage in float32: 4 bytes per parameter.</source>
        <translation>Almacenamiento en float32: 4 bytes por parámetro.</translation>
    </message>
    <message>
        <source>The int8 output tensor&apos;s scale s and zero point z: real ≈ s·(q − z). Each Linear/Conv2d output gets its own, calibrated on training images.</source>
        <translation>La escala s y el punto cero z del tensor de salida int8: real ≈ s·(q − z). Cada salida Linear/Conv2d tiene los suyos, calibrados con imágenes de entrenamiento.</translation>
    </message>
    <message>
        <source>Could not open the model: %1</source>
        <translation>No se pudo abrir el modelo: %1</translation>
    </message>
    <message>
        <source>Open an ONNX model</source>
        <translation>Abrir un modelo ONNX</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>Modelos ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>No model open yet: choose one above.</source>
        <translation>Todavía no hay ningún modelo abierto: elige uno arriba.</translation>
    </message>
    <message>
        <source>No int8 model: %1</source>
        <translation>No hay modelo int8: %1</translation>
    </message>
    <message>
        <source>Click to load %1&apos;s weights into the quantization views.</source>
        <translation>Haz clic para cargar los pesos de %1 en las vistas de cuantización.</translation>
    </message>
    <message>
        <source>  (+%1 fused)</source>
        <translation>  (+%1 fusionada)</translation>
    </message>
    <message>
        <source>Selecting a layer loads:</source>
        <translation>Al seleccionar una capa se cargan:</translation>
    </message>
    <message>
        <source>its weights</source>
        <translation>sus pesos</translation>
    </message>
    <message>
        <source>its outputs (activations)</source>
        <translation>sus salidas (activaciones)</translation>
    </message>
    <message>
        <source>Weights: the fixed numbers of a Linear/Conv2d layer — centred on 0, so a symmetric grid fits them.
Activations: what a layer outputs for the 256 calibration images (any layer). After a ReLU they are all ≥ 0 with a long tail: an asymmetric grid and a careful range (calibration) matter here, and the range can only be known from data.</source>
        <translation>Pesos: los números fijos de una capa Linear/Conv2d; están centrados en 0, así que una rejilla simétrica se ajusta bien a ellos.
Activaciones: lo que produce una capa (cualquiera) con las 256 imágenes de calibración. Después de una ReLU son todas ≥ 0 y tienen una cola larga: aquí importan una rejilla asimétrica y un rango bien elegido (calibración), y el rango solo se puede conocer a partir de los datos.</translation>
    </message>
    <message>
        <source>Precision plan</source>
        <translation>Plan de precisión</translation>
    </message>
    <message>
        <source>The applied mixed-precision plan (Sensitivity view → Apply proposal): the width of each layer&apos;s weights (W) and output (A), or fp32 where the layer is kept in float. Simulated with fake quantization; empty when no plan is applied.</source>
        <translation>El plan de precisión mixta aplicado (vista Sensibilidad → Aplicar propuesta): el número de bits de los pesos (W) y de la salida (A) de cada capa, o fp32 si la capa se mantiene en coma flotante. Se calcula con cuantización simulada; queda vacío si no hay ningún plan aplicado.</translation>
    </message>
    <message>
        <source>Click a Linear or Conv2d layer to load its weights (or any layer&apos;s outputs, see above) into the quantization views.</source>
        <translation>Haz clic en una capa Linear o Conv2d para cargar sus pesos (o en cualquier capa para cargar sus salidas; consulta arriba) en las vistas de cuantización.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Precision plan applied&lt;/b&gt; (last column; simulated with fake quantization): test accuracy %1 (fp32 %2), size %3.</source>
        <translation>&lt;b&gt;Plan de precisión aplicado&lt;/b&gt; (última columna; con cuantización simulada): exactitud de prueba %1 (fp32 %2), tamaño %3.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Precision plan applied&lt;/b&gt; (last column): evaluating…</source>
        <translation>&lt;b&gt;Plan de precisión aplicado&lt;/b&gt; (última columna): evaluando…</translation>
    </message>
    <message>
        <source>fp32 (kept)</source>
        <translation>fp32 (se mantiene)</translation>
    </message>
    <message>
        <source>Storage in int8: 1 byte per weight, a 4-byte int32 per bias, a 4-byte scale per output channel and 8 bytes (scale, zero point) for the layer&apos;s output.</source>
        <translation>Almacenamiento en int8: 1 byte por peso, un int32 de 4 bytes por sesgo, una escala de 4 bytes por canal de salida y 8 bytes (escala, punto cero) para la salida de la capa.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — input %2, %3 parameters, %4 MACs per image; stored size %5 in fp32, %6 in int8 (%7 bytes).</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — entrada %2, %3 parámetros, %4 MACs por imagen; tamaño guardado %5 en fp32, %6 en int8 (%7 bytes).</translation>
    </message>
    <message>
        <source>Quantization recipe: %1.
int8 bytes: %2 weights, %3 bias, %4 weight scales, %5 activation parameters, %6 other parameters (counted as quantlab-cli eval and bench count them).</source>
        <translation>Receta de cuantización: %1.
Bytes int8: %2 de pesos, %3 de sesgos, %4 de escalas de pesos, %5 de parámetros de activación, %6 de otros parámetros (contados como los cuentan quantlab-cli eval y bench).</translation>
    </message>
    <message>
        <source>Open your own ONNX classifier. Any image [C, H, W] or feature [F] input: give it its data with Open data…</source>
        <translation>Abre tu propio clasificador ONNX. Cualquier entrada de imagen [C, H, W] o de características [F]: dale sus datos con Abrir datos…</translation>
    </message>
    <message>
        <source>Open data…</source>
        <translation>Abrir datos…</translation>
    </message>
    <message>
        <source>Run the open model on your own data set (.npz, .npy, IDX, or a folder of images per class), with its normalisation.</source>
        <translation>Ejecuta el modelo abierto con tu propio conjunto de datos (.npz, .npy, IDX o una carpeta de imágenes por clase), con su normalización.</translation>
    </message>
    <message>
        <source>Could not open the data: %1</source>
        <translation>No se pudieron abrir los datos: %1</translation>
    </message>
    <message>
        <source>Open a model first: the data is fitted to its input.</source>
        <translation>Abre antes un modelo: los datos se ajustan a su entrada.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data&lt;/b&gt;: %1.&lt;br&gt;Calibration: %2 samples; test set: %3 samples. %4</source>
        <translation>&lt;b&gt;Datos&lt;/b&gt;: %1.&lt;br&gt;Calibración: %2 muestras; conjunto de prueba: %3 muestras. %4</translation>
    </message>
    <message>
        <source>Classes: %1.</source>
        <translation>Clases: %1.</translation>
    </message>
    <message>
        <source>No labels: every accuracy is the top-1 agreement with fp32.</source>
        <translation>Sin etiquetas: cada exactitud es la coincidencia top-1 con fp32.</translation>
    </message>
    <message>
        <source>Test sample %1: %2</source>
        <translation>Muestra de prueba %1: %2</translation>
    </message>
    <message>
        <source>A quantized ONNX model: int8 runs with the file&apos;s own scales and zero points (shown for every int8 layer), float32 with its dequantized weights.</source>
        <translation>Un modelo ONNX cuantizado: int8 se ejecuta con las escalas y los puntos cero del propio archivo (mostrados para cada capa int8) y float32 con sus pesos descuantizados.</translation>
    </message>
    <message>
        <source>float32: %1</source>
        <translation>float32: %1</translation>
    </message>
    <message>
        <source>From the file: input scale %1, zero point %2; output scale %3, zero point %4.</source>
        <translation>Del archivo: escala de entrada %1, punto cero %2; escala de salida %3, punto cero %4.</translation>
    </message>
    <message>
        <source>Weight scales: %1, from %2 to %3; zero point 0.</source>
        <translation>Escalas de los pesos: %1, de %2 a %3; punto cero 0.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::NumberFormatView</name>
    <message>
        <source>zero</source>
        <translation>cero</translation>
    </message>
    <message>
        <source>subnormal</source>
        <translation>subnormal</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>infinity</source>
        <translation>infinito</translation>
    </message>
    <message>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <source>  (zero)</source>
        <translation>  (cero)</translation>
    </message>
    <message>
        <source>  (subnormal: exponent field 0, no implicit 1)</source>
        <translation>  (subnormal: campo de exponente 0, sin 1 implícito)</translation>
    </message>
    <message>
        <source>exponent all ones, mantissa 0: %1infinity</source>
        <translation>exponente todo a unos, mantisa 0: %1infinito</translation>
    </message>
    <message>
        <source>exponent and mantissa all ones: NaN (this format has no infinity)</source>
        <translation>exponente y mantisa todo a unos: NaN (este formato no tiene infinito)</translation>
    </message>
    <message>
        <source>exponent all ones, mantissa not 0: NaN</source>
        <translation>exponente todo a unos, mantisa distinta de 0: NaN</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>Valor:</translation>
    </message>
    <message>
        <source>e.g. 0.1, -3.5e-3, inf, nan</source>
        <translation>p. ej. 0.1, -3.5e-3, inf, nan</translation>
    </message>
    <message>
        <source>Type a number: every format below rounds it to its nearest value (ties to even). Up/Down step one ULP in the selected format.</source>
        <translation>Escribe un número: cada formato de abajo lo redondea a su valor más cercano (los empates, al par). Las flechas Arriba y Abajo avanzan un ULP en el formato seleccionado.</translation>
    </message>
    <message>
        <source>Integer quantization maps x to the code q = clamp(round(x / s) + z, qmin, qmax). The scale s is the integer grid&apos;s step: the same everywhere in the clipping range, unlike a float&apos;s gap, which doubles with every power of two.</source>
        <translation>La cuantización entera lleva x al código q = clamp(round(x / s) + z, qmin, qmax). La escala s es el paso de la rejilla entera: es el mismo en todo el rango de recorte, a diferencia del hueco de un float, que se duplica en cada potencia de dos.</translation>
    </message>
    <message>
        <source>code q =</source>
        <translation>código q =</translation>
    </message>
    <message>
        <source>E%1M%2: %1 exponent bits, %2 mantissa bits, bias %3; largest finite value %4</source>
        <translation>E%1M%2: %1 bits de exponente, %2 bits de mantisa, sesgo %3; mayor valor finito %4</translation>
    </message>
    <message>
        <source>E%1M%2, bias %3</source>
        <translation>E%1M%2, sesgo %3</translation>
    </message>
    <message>
        <source>The bit pattern in hexadecimal</source>
        <translation>El patrón de bits en hexadecimal</translation>
    </message>
    <message>
        <source>zero, subnormal (no implicit leading 1: tiny values with fewer significant bits), normal, infinity or NaN</source>
        <translation>cero, subnormal (sin el 1 inicial implícito: valores diminutos con menos bits significativos), normal, infinito o NaN</translation>
    </message>
    <message>
        <source>The exact decimal value of this bit pattern: every binary float is a fraction with a power-of-two denominator, so it has a finite decimal expansion.</source>
        <translation>El valor decimal exacto de este patrón de bits: todo float binario es una fracción cuyo denominador es una potencia de dos, así que su expansión decimal es finita.</translation>
    </message>
    <message>
        <source>The next smaller and next larger values this format can store</source>
        <translation>Los valores inmediatamente menor y mayor que este formato puede guardar</translation>
    </message>
    <message>
        <source>Rounding error: the stored value minus the typed value (round to nearest, ties to even).</source>
        <translation>Error de redondeo: el valor guardado menos el valor escrito (redondeo al más cercano; los empates, al par).</translation>
    </message>
    <message>
        <source>The gap (ULP, unit in the last place) to the next value away from zero. It doubles at every power of two, so relative precision stays roughly constant while absolute precision does not.</source>
        <translation>El hueco (ULP, unidad en el último lugar) hasta el siguiente valor, alejándose de cero. Se duplica en cada potencia de dos, así que la precisión relativa se mantiene más o menos constante, pero la absoluta no.</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>no es un número</translation>
    </message>
    <message>
        <source>NaN in, NaN out</source>
        <translation>entra NaN, sale NaN</translation>
    </message>
    <message>
        <source>overflow: too large, became infinity</source>
        <translation>desbordamiento: demasiado grande, se convirtió en infinito</translation>
    </message>
    <message>
        <source>overflow: too large, became NaN</source>
        <translation>desbordamiento: demasiado grande, se convirtió en NaN</translation>
    </message>
    <message>
        <source>exact: no rounding error</source>
        <translation>exacto: sin error de redondeo</translation>
    </message>
    <message>
        <source>rounding error %1%2 (%1%3 %)</source>
        <translation>error de redondeo %1%2 (%1%3 %)</translation>
    </message>
    <message>
        <source>, underflow to zero</source>
        <translation>, subdesbordamiento a cero</translation>
    </message>
    <message>
        <source>value </source>
        <translation>valor </translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>gap (ULP) %1</source>
        <translation>hueco (ULP) %1</translation>
    </message>
    <message>
        <source>gap (ULP) 2^%1 %2</source>
        <translation>hueco (ULP) 2^%1 %2</translation>
    </message>
    <message>
        <source> (int step = %1 gaps)</source>
        <translation> (paso entero = %1 huecos)</translation>
    </message>
    <message>
        <source> (gap = %1 int steps)</source>
        <translation> (hueco = %1 pasos enteros)</translation>
    </message>
    <message>
        <source>neighbours %1 %2 %3</source>
        <translation>vecinos %1 %2 %3</translation>
    </message>
    <message>
        <source>Integer quantization</source>
        <translation>Cuantización entera</translation>
    </message>
    <message>
        <source>no parameters yet</source>
        <translation>todavía no hay parámetros</translation>
    </message>
    <message>
        <source> (slot 0 of %1)</source>
        <translation> (escala 0 de %1)</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>The integer code stored for the value</source>
        <translation>El código entero que se guarda para el valor</translation>
    </message>
    <message>
        <source>s = %1, z = %2, codes [%3, %4], dequantized %5</source>
        <translation>s = %1, z = %2, códigos [%3, %4], descuantizado %5</translation>
    </message>
    <message>
        <source>q = clamp(round(x / s) + z, qmin, qmax), rounding half to even; x is first rounded to fp32, as the quantizer sees it. s is the scale, z the zero point. Dequantized: s%1(q %2 z).</source>
        <translation>q = clamp(round(x / s) + z, qmin, qmax), con los empates redondeados al par; x se redondea primero a fp32, tal como lo ve el cuantizador. s es la escala y z el punto cero. Descuantizado: s%1(q %2 z).</translation>
    </message>
    <message>
        <source> (NaN maps to the zero point)</source>
        <translation> (NaN va al punto cero)</translation>
    </message>
    <message>
        <source> &lt;b&gt;(clipped: outside the range [%1, %2])&lt;/b&gt;</source>
        <translation> &lt;b&gt;(recortado: fuera del rango [%1, %2])&lt;/b&gt;</translation>
    </message>
    <message>
        <source>int step %1 everywhere in [%2, %3]</source>
        <translation>paso entero %1 en todo [%2, %3]</translation>
    </message>
    <message>
        <source> = %1 %2 gaps (%3) here</source>
        <translation> = %1 huecos de %2 (%3) aquí</translation>
    </message>
    <message>
        <source>; one %2 gap (%3) = %1 int steps here</source>
        <translation>; un hueco de %2 (%3) = %1 pasos enteros aquí</translation>
    </message>
    <message>
        <source>Normal numbers: (−1)^s × 1.m × 2^(e − bias). Subnormals (exponent field 0): (−1)^s × 0.m × 2^(1 − bias).</source>
        <translation>Números normales: (−1)^s × 1.m × 2^(e − sesgo). Subnormales (campo de exponente 0): (−1)^s × 0.m × 2^(1 − sesgo).</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::OpenDataDialog</name>
    <message>
        <source>Open data</source>
        <translation>Abrir datos</translation>
    </message>
    <message>
        <source>A data set for the open model (input %1): a .npz with inputs x and optional integer labels y, a .npy of inputs, an IDX images file, an MNIST-style folder, or a folder with one sub-folder of PNG/JPEG images per class. The first quarter (at most 256 samples) calibrates the int8 model; the rest is the test set. Without labels, the accuracies are the agreement with fp32.</source>
        <translation>Un conjunto de datos para el modelo abierto (entrada %1): un .npz con entradas x y etiquetas enteras y opcionales, un .npy de entradas, un archivo de imágenes IDX, una carpeta al estilo MNIST o una carpeta con una subcarpeta de imágenes PNG/JPEG por clase. El primer cuarto (como mucho 256 muestras) calibra el modelo int8; el resto es el conjunto de prueba. Sin etiquetas, las exactitudes son la coincidencia con fp32.</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>Archivo…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Carpeta…</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>Datos:</translation>
    </message>
    <message>
        <source>exact size only</source>
        <translation>solo el tamaño exacto</translation>
    </message>
    <message>
        <source>stretch to the input</source>
        <translation>estirar hasta la entrada</translation>
    </message>
    <message>
        <source>resize and crop the centre</source>
        <translation>redimensionar y recortar el centro</translation>
    </message>
    <message>
        <source>How images of another size reach the model&apos;s input. Grey and RGB images are converted to the model&apos;s channel count.</source>
        <translation>Cómo llegan a la entrada del modelo las imágenes de otro tamaño. Las imágenes en gris y RGB se convierten al número de canales del modelo.</translation>
    </message>
    <message>
        <source>Images:</source>
        <translation>Imágenes:</translation>
    </message>
    <message>
        <source>auto: 1/255 for 8-bit data, else 1</source>
        <translation>auto: 1/255 para datos de 8 bits, si no 1</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>Escala:</translation>
    </message>
    <message>
        <source>none, or one value per channel: 0.49, 0.48, 0.45</source>
        <translation>ninguna, o un valor por canal: 0.49, 0.48, 0.45</translation>
    </message>
    <message>
        <source>Mean:</source>
        <translation>Media:</translation>
    </message>
    <message>
        <source>none, or one value per channel: 0.25, 0.24, 0.26</source>
        <translation>ninguna, o un valor por canal: 0.25, 0.24, 0.26</translation>
    </message>
    <message>
        <source>Std:</source>
        <translation>Desv. típica:</translation>
    </message>
    <message>
        <source>Each value becomes (x · scale − mean) / std, per channel.</source>
        <translation>Cada valor pasa a ser (x · escala − media) / desv. típica, por canal.</translation>
    </message>
    <message>
        <source>Filled in from %1.</source>
        <translation>Rellenado a partir de %1.</translation>
    </message>
    <message>
        <source>Open a data file</source>
        <translation>Abrir un archivo de datos</translation>
    </message>
    <message>
        <source>Data sets (*.npz *.npy *-ubyte *-ubyte.gz *.idx);;All files (*)</source>
        <translation>Conjuntos de datos (*.npz *.npy *-ubyte *-ubyte.gz *.idx);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Open a data folder</source>
        <translation>Abrir una carpeta de datos</translation>
    </message>
    <message>
        <source>Choose a data file or folder.</source>
        <translation>Elige un archivo o una carpeta de datos.</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Escala</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>Std</source>
        <translation>Desv. típica</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::PerChannelView</name>
    <message>
        <source>Which dimension of the tensor holds the channels. For a conv or linear weight [out, in, ...] the output channels are axis 0: each output channel gets its own scale (and zero point), so one large channel no longer coarsens the grid of all the others.</source>
        <translation>Qué dimensión del tensor contiene los canales. En los pesos de una convolución o de una capa lineal [out, in, ...], los canales de salida son el eje 0: cada canal de salida recibe su propia escala (y su propio punto cero), así que un canal grande ya no engrosa la rejilla de todos los demás.</translation>
    </message>
    <message>
        <source>Channel axis:</source>
        <translation>Eje de canales:</translation>
    </message>
    <message>
        <source>SQNR = 20 log10(||x|| / ||x - x_hat||): signal power over quantization-noise power, in decibels. Higher is better; each extra bit adds about 6 dB.</source>
        <translation>SQNR = 20 log10(||x|| / ||x - x_hat||): potencia de la señal frente a potencia del ruido de cuantización, en decibelios. Cuanto más alta, mejor; cada bit extra añade unos 6 dB.</translation>
    </message>
    <message>
        <source>Per-tensor SQNR</source>
        <translation>SQNR por tensor</translation>
    </message>
    <message>
        <source>Here one scale for the whole tensor (min-max).</source>
        <translation>Aquí, una sola escala para todo el tensor (mín–máx).</translation>
    </message>
    <message>
        <source>Per-channel SQNR</source>
        <translation>SQNR por canal</translation>
    </message>
    <message>
        <source>Here one scale per channel (min-max of each channel).</source>
        <translation>Aquí, una escala por canal (mín–máx de cada canal).</translation>
    </message>
    <message>
        <source>Gain from per-channel</source>
        <translation>Ganancia con escalas por canal</translation>
    </message>
    <message>
        <source>Per-channel SQNR minus per-tensor SQNR. Large when channel ranges differ a lot.</source>
        <translation>SQNR por canal menos SQNR por tensor. Es grande cuando los rangos de los canales difieren mucho.</translation>
    </message>
    <message>
        <source>Channel ranges and scales</source>
        <translation>Rangos y escalas de los canales</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>canal</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>escala</translation>
    </message>
    <message>
        <source>min to max</source>
        <translation>de mín a máx</translation>
    </message>
    <message>
        <source>scale (right axis)</source>
        <translation>escala (eje derecho)</translation>
    </message>
    <message>
        <source>Each bar spans one channel&apos;s smallest to largest value. With one per-tensor scale every channel shares the grid sized for the widest bar; per-channel scales (orange) follow each bar, so narrow channels get a finer grid.</source>
        <translation>Cada barra va del valor más pequeño al más grande de un canal. Con una sola escala por tensor, todos los canales comparten la rejilla dimensionada para la barra más ancha; las escalas por canal (naranja) siguen a cada barra, así que los canales estrechos reciben una rejilla más fina.</translation>
    </message>
    <message>
        <source>SQNR of each channel</source>
        <translation>SQNR de cada canal</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>per-channel scales</source>
        <translation>escalas por canal</translation>
    </message>
    <message>
        <source>per-tensor scale</source>
        <translation>escala por tensor</translation>
    </message>
    <message>
        <source>Signal-to-quantization-noise ratio of every channel, quantized with its own scale (green) and with the tensor&apos;s single scale (dashed). Channels with a small range lose the most under a per-tensor scale. Exact channels (infinite SQNR) sit on the top edge.</source>
        <translation>Relación señal/ruido de cuantización de cada canal, cuantizado con su propia escala (verde) y con la escala única del tensor (discontinua). Los canales de rango pequeño son los que más pierden con una escala por tensor. Los canales exactos (SQNR infinita) quedan en el borde superior.</translation>
    </message>
    <message>
        <source>Computing the per-channel comparison…</source>
        <translation>Calculando la comparación por canal…</translation>
    </message>
    <message>
        <source>This tensor has no channel axis to compare.</source>
        <translation>Este tensor no tiene ningún eje de canales que comparar.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <source>1 channel</source>
        <translation>1 canal</translation>
    </message>
    <message>
        <source>%1 channels</source>
        <translation>%1 canales</translation>
    </message>
    <message>
        <source>A 1-D tensor has no channels to compare (each value would be its own channel). Per-group granularity in the controls splits it into blocks with one scale each instead.</source>
        <translation>Un tensor 1-D no tiene canales que comparar (cada valor sería su propio canal). La granularidad por grupo de los controles lo divide en bloques, cada uno con su propia escala.</translation>
    </message>
    <message>
        <source>Updating for %1…</source>
        <translation>Actualizando para %1…</translation>
    </message>
    <message>
        <source>%1 channels, drawn in %2 groups of %3 (the extremes of each group)</source>
        <translation>%1 canales, dibujados en %2 grupos de %3 (los extremos de cada grupo)</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::PredictionsView</name>
    <message>
        <source>Evaluate test set</source>
        <translation>Evaluar conjunto de prueba</translation>
    </message>
    <message>
        <source>Only disagreements</source>
        <translation>Solo discrepancias</translation>
    </message>
    <message>
        <source>Run the fp32 and the int8 model over all 10 000 test images (in the background).</source>
        <translation>Ejecuta el modelo fp32 y el int8 sobre las 10 000 imágenes de prueba (en segundo plano).</translation>
    </message>
    <message>
        <source>Show only the images where int8 predicts a different class than fp32.</source>
        <translation>Muestra solo las imágenes en las que int8 predice una clase distinta de la de fp32.</translation>
    </message>
    <message>
        <source>The first test image shown (the grid shows 48 from here).</source>
        <translation>La primera imagen de prueba que se muestra (la cuadrícula muestra 48 a partir de aquí).</translation>
    </message>
    <message>
        <source>From image</source>
        <translation>Desde la imagen</translation>
    </message>
    <message>
        <source>Accuracy: the fraction of test images classified correctly. Agreement: the fraction where int8 predicts the same class as fp32 — quantization&apos;s own effect, whatever the label.</source>
        <translation>Exactitud: la fracción de imágenes de prueba clasificadas correctamente. Concordancia: la fracción en la que int8 predice la misma clase que fp32; es el efecto propio de la cuantización, sea cual sea la etiqueta.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Abre primero un modelo (vista Capas del modelo).</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Evaluate test set&lt;/b&gt; to run fp32 and int8 on the %1 test images.</source>
        <translation>Pulsa &lt;b&gt;Evaluar conjunto de prueba&lt;/b&gt; para ejecutar fp32 e int8 sobre las %1 imágenes de prueba.</translation>
    </message>
    <message>
        <source>On %1 test images: fp32 accuracy &lt;b&gt;%2&lt;/b&gt;, int8 accuracy &lt;b&gt;%3&lt;/b&gt; (%4 points), agreement &lt;b&gt;%5&lt;/b&gt; — int8 and fp32 disagree on %6 images.</source>
        <translation>Con %1 imágenes de prueba: exactitud fp32 &lt;b&gt;%2&lt;/b&gt;, exactitud int8 &lt;b&gt;%3&lt;/b&gt; (%4 puntos), concordancia &lt;b&gt;%5&lt;/b&gt;; int8 y fp32 discrepan en %6 imágenes.</translation>
    </message>
    <message>
        <source>Test image %1. Bold: the true class. Red: a wrong prediction. A framed cell is an image where fp32 and int8 disagree — usually a borderline case whose top two classes were already close.</source>
        <translation>Imagen de prueba %1. En negrita: la clase verdadera. En rojo: una predicción errónea. Una celda enmarcada es una imagen en la que fp32 e int8 no coinciden; suele ser un caso dudoso cuyas dos clases más probables ya estaban muy igualadas.</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::PresenterMode</name>
    <message>
        <source>&amp;View on the stage:</source>
        <translation>&amp;Vista en el escenario:</translation>
    </message>
    <message>
        <source>The view shown large; a lesson step can change it too</source>
        <translation>La vista que se muestra en grande; un paso de la lección también puede cambiarla</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::QatView</name>
    <message>
        <source>LSQ</source>
        <translation>LSQ</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Entrenar</translation>
    </message>
    <message>
        <source>Save as ONNX…</source>
        <translation>Guardar como ONNX…</translation>
    </message>
    <message>
        <source>Weight width. Weights are rounded symmetrically, one scale per output channel (scale = max|w| / (2^(b−1) − 1)). At 4 bits each weight has only 15 possible values.</source>
        <translation>Número de bits de los pesos. Los pesos se redondean de forma simétrica, con una escala por canal de salida (escala = max|w| / (2^(b−1) − 1)). A 4 bits, cada peso solo tiene 15 valores posibles.</translation>
    </message>
    <message>
        <source>Activation width: the input and every layer output (after its ReLU) are rounded to 2^b levels between a calibrated minimum and maximum. The logits stay in float.</source>
        <translation>Número de bits de las activaciones: la entrada y la salida de cada capa (después de su ReLU) se redondean a 2^b niveles entre un mínimo y un máximo calibrados. Los logits se quedan en coma flotante.</translation>
    </message>
    <message>
        <source>Passes over the training images. One pass on the MLP already recovers most of what PTQ lost; the test accuracy is measured after each pass.</source>
        <translation>Pasadas sobre las imágenes de entrenamiento. En el MLP, una sola pasada ya recupera la mayor parte de lo que perdió la PTQ; la exactitud de prueba se mide después de cada pasada.</translation>
    </message>
    <message>
        <source>Adam&apos;s learning rate. Fine-tuning starts from a trained model, so it is small (1e-4): large steps would undo the fp32 training instead of adjusting it to the grid.</source>
        <translation>La tasa de aprendizaje de Adam. El ajuste fino parte de un modelo ya entrenado, así que es pequeña (1e-4): los pasos grandes desharían el entrenamiento fp32 en lugar de adaptarlo a la rejilla.</translation>
    </message>
    <message>
        <source>How many Fashion-MNIST training images one pass uses (the first N). Fewer = faster, less recovered. The CNN needs ~20× more time per image than the MLP, so it starts with 5000.</source>
        <translation>Cuántas imágenes de entrenamiento de Fashion-MNIST usa cada pasada (las N primeras). Menos = más rápido, pero se recupera menos. La CNN necesita unas 20 veces más tiempo por imagen que el MLP, así que empieza con 5000.</translation>
    </message>
    <message>
        <source>Learned Step Size Quantization (Esser et al. 2020): the scales themselves become trainable, so training also chooses how wide each grid is. Off: weight scales follow max|w| and activation ranges follow a running min/max (EMA).</source>
        <translation>Learned Step Size Quantization (Esser et al. 2020): las propias escalas pasan a ser entrenables, así que el entrenamiento también elige el ancho de cada rejilla. Desactivado: las escalas de los pesos siguen a max|w| y los rangos de las activaciones siguen un mín/máx móvil (EMA).</translation>
    </message>
    <message>
        <source>Fine-tune the model with fake quantization in every forward pass (in the background).</source>
        <translation>Ajusta finamente el modelo con cuantización simulada en cada pasada hacia delante (en segundo plano).</translation>
    </message>
    <message>
        <source>Write the trained model as ONNX. Its weights are already on the trained grid (every weight = scale × integer), stored as float32, so any ONNX runtime can check the result.</source>
        <translation>Guarda el modelo entrenado como ONNX. Sus pesos ya están en la rejilla entrenada (cada peso = escala × entero) y se guardan como float32, así que cualquier entorno de ejecución ONNX puede comprobar el resultado.</translation>
    </message>
    <message>
        <source>W bits</source>
        <translation>Bits W</translation>
    </message>
    <message>
        <source>A bits</source>
        <translation>Bits A</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Épocas</translation>
    </message>
    <message>
        <source>LR</source>
        <translation>Tasa apr.</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Imágenes</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>pérdida de entrenamiento</translation>
    </message>
    <message>
        <source>minibatch</source>
        <translation>minilote</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>entropía cruzada</translation>
    </message>
    <message>
        <source>Training loss (with fake quantization)</source>
        <translation>Pérdida de entrenamiento (con cuantización simulada)</translation>
    </message>
    <message>
        <source>Cross-entropy of the training minibatches, computed with the weights and activations rounded to the grid. It falls as the float weights learn to sit where rounding hurts least.</source>
        <translation>Entropía cruzada de los minilotes de entrenamiento, calculada con los pesos y las activaciones redondeados a la rejilla. Baja a medida que los pesos en coma flotante aprenden a situarse donde el redondeo hace menos daño.</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>PTQ</source>
        <translation>PTQ</translation>
    </message>
    <message>
        <source>QAT</source>
        <translation>QAT</translation>
    </message>
    <message>
        <source>test accuracy (%)</source>
        <translation>exactitud de prueba (%)</translation>
    </message>
    <message>
        <source>Quantized test accuracy</source>
        <translation>Exactitud de prueba cuantizada</translation>
    </message>
    <message>
        <source>fp32: the original model. PTQ (post-training quantization): the same model rounded to the grid, ranges calibrated on 2048 training images, no training. QAT: fine-tuned with the rounding in the loop, then rounded the same way.</source>
        <translation>fp32: el modelo original. PTQ (cuantización posterior al entrenamiento): el mismo modelo redondeado a la rejilla, con rangos calibrados sobre 2048 imágenes de entrenamiento y sin entrenar. QAT: ajustado finamente con el redondeo dentro del bucle y después redondeado de la misma forma.</translation>
    </message>
    <message>
        <source>&lt;b&gt;How QAT works.&lt;/b&gt; Every forward pass rounds the weights and activations to the low-bit grid (fake quantization), so the loss feels the rounding error. Rounding has no useful gradient (it is flat almost everywhere), so the backward pass uses the &lt;i&gt;straight-through estimator&lt;/i&gt;: it pretends rounding is the identity (and passes nothing where a value was clipped). The float weights behind the grid keep learning and move to where their rounded values work well — QAT recovers much of the accuracy PTQ loses, at the cost of a training run.</source>
        <translation>&lt;b&gt;Cómo funciona QAT.&lt;/b&gt; Cada pasada hacia delante redondea los pesos y las activaciones a la rejilla de pocos bits (cuantización simulada), así que la pérdida nota el error de redondeo. El redondeo no tiene un gradiente útil (es plano casi en todas partes), así que la pasada hacia atrás usa el &lt;i&gt;estimador de paso directo&lt;/i&gt;: hace como si el redondeo fuera la identidad (y no deja pasar nada donde un valor se recortó). Los pesos en coma flotante que hay detrás de la rejilla siguen aprendiendo y se desplazan hasta donde sus valores redondeados funcionan bien: QAT recupera buena parte de la exactitud que pierde la PTQ, a cambio de un entrenamiento.</translation>
    </message>
    <message>
        <source>Save the QAT model</source>
        <translation>Guardar el modelo QAT</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>Modelos ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation>No se pudo guardar</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Abre primero un modelo (vista Capas del modelo).</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Train&lt;/b&gt; to fine-tune %1 with quantization in the loop. Every accuracy is measured on the first 2000 test images.</source>
        <translation>Pulsa &lt;b&gt;Entrenar&lt;/b&gt; para ajustar finamente %1 con la cuantización dentro del bucle. Todas las exactitudes se miden en las primeras 2000 imágenes de prueba.</translation>
    </message>
    <message>
        <source>QAT won back %1 of the %2 points PTQ lost (%3%).</source>
        <translation>QAT ha recuperado %1 de los %2 puntos que perdió la PTQ (%3 %).</translation>
    </message>
    <message>
        <source>This run did not beat PTQ: try more images or another epoch.</source>
        <translation>Esta ejecución no ha superado a la PTQ: prueba con más imágenes o con otra época.</translation>
    </message>
    <message>
        <source>PTQ lost almost nothing here, so there was little to win back.</source>
        <translation>Aquí la PTQ apenas perdió nada, así que había poco que recuperar.</translation>
    </message>
    <message>
        <source>%1 pts vs fp32</source>
        <translation>%1 ptos. frente a fp32</translation>
    </message>
    <message>
        <source>%1 fp32</source>
        <translation>%1 fp32</translation>
    </message>
    <message>
        <source>%1 PTQ W%2/A%3</source>
        <translation>%1 PTQ W%2/A%3</translation>
    </message>
    <message>
        <source>%1 QAT W%2/A%3</source>
        <translation>%1 QAT W%2/A%3</translation>
    </message>
    <message>
        <source>Accuracy on the first 2000 test images with the model rounded to the grid: at minibatch 0 it is the PTQ model (rounded without training), then after each epoch, as soon as the epoch ends. Dashed: fp32 (the goal) and PTQ (the starting point).</source>
        <translation>Exactitud sobre las primeras 2000 imágenes de prueba con el modelo redondeado a la rejilla: en el minilote 0 es el modelo PTQ (redondeado sin entrenar) y después se añade un punto al terminar cada época. Discontinuas: fp32 (la meta) y PTQ (el punto de partida).</translation>
    </message>
    <message>
        <source>Training %1 with W%2/A%3 fake quantization, %4 minibatches… (the test accuracy is added after each epoch)</source>
        <translation>Entrenando %1 con cuantización simulada W%2/A%3, %4 minilotes… (la exactitud de prueba se añade al terminar cada época)</translation>
    </message>
    <message>
        <source>Quantization recipe (PTQ and QAT): %1</source>
        <translation>Receta de cuantización (PTQ y QAT): %1</translation>
    </message>
    <message numerus="yes">
        <source>Last run: %n epoch(s) on %2 training images (%3 minibatches) in %4 s; accuracies on the first %5 test images.</source>
        <translation>
            <numerusform>Última ejecución: %n época con %2 imágenes de entrenamiento (%3 minilotes) en %4 s; exactitudes en las primeras %5 imágenes de prueba.</numerusform>
            <numerusform>Última ejecución: %n épocas con %2 imágenes de entrenamiento (%3 minilotes) en %4 s; exactitudes en las primeras %5 imágenes de prueba.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>quantlab::ui::RequantView</name>
    <message>
        <source>The Linear layer whose output value is followed. Selecting a layer in the layer table selects it here too.</source>
        <translation>La capa Linear cuyo valor de salida se sigue. Al seleccionar una capa en la tabla de capas, también se selecciona aquí.</translation>
    </message>
    <message>
        <source>The test image fed through the int8 model (the row of the layer&apos;s output matrix).</source>
        <translation>La imagen de prueba que pasa por el modelo int8 (la fila de la matriz de salida de la capa).</translation>
    </message>
    <message>
        <source>Conv2d: the output position y·width + x, i.e. the row of the im2col matrix — which 3×3 patch of the input the kernel looks at.</source>
        <translation>Conv2d: la posición de salida y·ancho + x, es decir, la fila de la matriz im2col: qué parche de 3×3 de la entrada mira el filtro.</translation>
    </message>
    <message>
        <source>The output channel (column): which weight row and which bias, scale and multiplier are used.</source>
        <translation>El canal de salida (columna): qué fila de pesos y qué sesgo, escala y multiplicador se usan.</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Imagen</translation>
    </message>
    <message>
        <source>Position (row)</source>
        <translation>Posición (fila)</translation>
    </message>
    <message>
        <source>Output (column)</source>
        <translation>Salida (columna)</translation>
    </message>
    <message>
        <source>This model has no Linear or Conv2d layer to follow.</source>
        <translation>Este modelo no tiene ninguna capa Linear o Conv2d que seguir.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Abre primero un modelo (vista Capas del modelo).</translation>
    </message>
    <message>
        <source>The %1×%2 windows of the input channels at output position (y %3, x %4), unrolled in (channel, ky, kx) order: one row of the im2col matrix. %5 positions fall in the padding and hold z&lt;sub&gt;x&lt;/sub&gt; (real 0). Real value ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) with s&lt;sub&gt;x&lt;/sub&gt; = %6.</source>
        <translation>Las ventanas de %1×%2 de los canales de entrada en la posición de salida (y %3, x %4), desplegadas en orden (canal, ky, kx): una fila de la matriz im2col. %5 posiciones caen en el relleno y contienen z&lt;sub&gt;x&lt;/sub&gt; (el 0 real). Valor real ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) con s&lt;sub&gt;x&lt;/sub&gt; = %6.</translation>
    </message>
    <message>
        <source>The previous layer&apos;s int8 output codes; real value ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) with s&lt;sub&gt;x&lt;/sub&gt; = %1.</source>
        <translation>Los códigos de salida int8 de la capa anterior; valor real ≈ s&lt;sub&gt;x&lt;/sub&gt;·(x − z&lt;sub&gt;x&lt;/sub&gt;) con s&lt;sub&gt;x&lt;/sub&gt; = %1.</translation>
    </message>
    <message>
        <source>int8 inputs x (test image %1)</source>
        <translation>entradas int8 x (imagen de prueba %1)</translation>
    </message>
    <message>
        <source>, zero point z&lt;sub&gt;x&lt;/sub&gt; = %1</source>
        <translation>, punto cero z&lt;sub&gt;x&lt;/sub&gt; = %1</translation>
    </message>
    <message>
        <source>int8 weights w (channel %1)</source>
        <translation>pesos int8 w (canal %1)</translation>
    </message>
    <message>
        <source>Symmetric, zero point 0, scale s&lt;sub&gt;w&lt;/sub&gt; = %1 for this output channel.</source>
        <translation>Simétricos, punto cero 0, escala s&lt;sub&gt;w&lt;/sub&gt; = %1 para este canal de salida.</translation>
    </message>
    <message>
        <source>Σ x·w over %1 terms</source>
        <translation>Σ x·w sobre %1 términos</translation>
    </message>
    <message>
        <source>Products of two int8 numbers summed in int32: this is the work the GEMM kernel does.</source>
        <translation>Productos de dos números int8 sumados en int32: este es el trabajo que hace el núcleo GEMM.</translation>
    </message>
    <message>
        <source>zero-point correction −z&lt;sub&gt;x&lt;/sub&gt;·Σw</source>
        <translation>corrección del punto cero −z&lt;sub&gt;x&lt;/sub&gt;·Σw</translation>
    </message>
    <message>
        <source>Σ(x − z&lt;sub&gt;x&lt;/sub&gt;)·w = Σx·w − z&lt;sub&gt;x&lt;/sub&gt;·Σw; Σw is precomputed once per channel, so the kernel multiplies raw codes.</source>
        <translation>Σ(x − z&lt;sub&gt;x&lt;/sub&gt;)·w = Σx·w − z&lt;sub&gt;x&lt;/sub&gt;·Σw; Σw se calcula por adelantado una vez por canal, así que el núcleo multiplica los códigos tal cual.</translation>
    </message>
    <message>
        <source>+ bias (int32)</source>
        <translation>+ sesgo (int32)</translation>
    </message>
    <message>
        <source>The float bias stored as round(b / (s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;)): already on the accumulator&apos;s scale.</source>
        <translation>El sesgo en coma flotante, guardado como round(b / (s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;)): ya está en la escala del acumulador.</translation>
    </message>
    <message>
        <source>= accumulator (from the kernel)</source>
        <translation>= acumulador (del núcleo)</translation>
    </message>
    <message>
        <source>  ✓ = %1 + %2 + %3</source>
        <translation>  ✓ = %1 + %2 + %3</translation>
    </message>
    <message>
        <source>  ✗ steps 3-5 give %1</source>
        <translation>  ✗ los pasos 3-5 dan %1</translation>
    </message>
    <message>
        <source>Its real value is s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;·acc: a 32-bit integer on a very fine grid.</source>
        <translation>Su valor real es s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt;·acc: un entero de 32 bits sobre una rejilla muy fina.</translation>
    </message>
    <message>
        <source>M = s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt; / s&lt;sub&gt;out&lt;/sub&gt;</source>
        <translation>M = s&lt;sub&gt;x&lt;/sub&gt;·s&lt;sub&gt;w&lt;/sub&gt; / s&lt;sub&gt;out&lt;/sub&gt;</translation>
    </message>
    <message>
        <source>Rescales the accumulator to the output&apos;s grid (s&lt;sub&gt;out&lt;/sub&gt; = %1, z&lt;sub&gt;out&lt;/sub&gt; = %2). Computed once, offline, in double.</source>
        <translation>Reescala el acumulador a la rejilla de la salida (s&lt;sub&gt;out&lt;/sub&gt; = %1, z&lt;sub&gt;out&lt;/sub&gt; = %2). Se calcula una sola vez, por adelantado, en doble precisión.</translation>
    </message>
    <message>
        <source>M as Q31 multiplier and shift</source>
        <translation>M como multiplicador Q31 y desplazamiento</translation>
    </message>
    <message>
        <source>Integer hardware cannot multiply by 0.0003: M is stored as a 31-bit mantissa in [2^30, 2^31) and a power of two.</source>
        <translation>El hardware entero no puede multiplicar por 0.0003: M se guarda como una mantisa de 31 bits en [2^30, 2^31) y una potencia de dos.</translation>
    </message>
    <message>
        <source>acc · M in fixed point</source>
        <translation>acc · M en punto fijo</translation>
    </message>
    <message>
        <source>High half of the doubled 64-bit product (round half up), then a rounding right shift (ties away from zero).</source>
        <translation>Mitad alta del producto de 64 bits duplicado (los empates se redondean hacia arriba) y después un desplazamiento a la derecha con redondeo (los empates, lejos de cero).</translation>
    </message>
    <message>
        <source>+ z&lt;sub&gt;out&lt;/sub&gt;, clamp to [%1, %2]</source>
        <translation>+ z&lt;sub&gt;out&lt;/sub&gt;, recortar a [%1, %2]</translation>
    </message>
    <message>
        <source>The lower clamp %1 is the output zero point, i.e. real 0: that is the fused ReLU, and it costs nothing extra.</source>
        <translation>El límite inferior del recorte, %1, es el punto cero de salida, es decir, el 0 real: esa es la ReLU fusionada, y no cuesta nada más.</translation>
    </message>
    <message>
        <source>Saturate to the int8 range.</source>
        <translation>Saturar al rango int8.</translation>
    </message>
    <message>
        <source>int8 output (from the kernel)</source>
        <translation>salida int8 (del núcleo)</translation>
    </message>
    <message>
        <source>  ✓ requantize() agrees</source>
        <translation>  ✓ requantize() coincide</translation>
    </message>
    <message>
        <source>  ✗ mismatch</source>
        <translation>  ✗ no coincide</translation>
    </message>
    <message>
        <source>Dequantized: s&lt;sub&gt;out&lt;/sub&gt;·(q − z&lt;sub&gt;out&lt;/sub&gt;) = %1.</source>
        <translation>Descuantizado: s&lt;sub&gt;out&lt;/sub&gt;·(q − z&lt;sub&gt;out&lt;/sub&gt;) = %1.</translation>
    </message>
    <message>
        <source>No int8 model: %1</source>
        <translation>Sin modelo int8: %1</translation>
    </message>
    <message>
        <source>%1 has no weights: int8 inference looks each output up in a table of 256 codes, one per input code, computed once from the input scale %2 and zero point %3 and the output scale %4 and zero point %5.</source>
        <translation>%1 no tiene pesos: la inferencia int8 busca cada salida en una tabla de 256 códigos, uno por código de entrada, calculada una sola vez a partir de la escala de entrada %2 y su punto cero %3 y de la escala de salida %4 y su punto cero %5.</translation>
    </message>
    <message>
        <source>Its output range is known in advance, so the output scale and zero point are fixed rather than calibrated.</source>
        <translation>Su rango de salida se conoce de antemano, así que la escala y el punto cero de salida son fijos en lugar de calibrados.</translation>
    </message>
    <message>
        <source>input code</source>
        <translation>código de entrada</translation>
    </message>
    <message>
        <source>real input x</source>
        <translation>entrada real x</translation>
    </message>
    <message>
        <source>f / s&lt;sub&gt;out&lt;/sub&gt; + z&lt;sub&gt;out&lt;/sub&gt;</source>
        <translation>f / s&lt;sub&gt;out&lt;/sub&gt; + z&lt;sub&gt;out&lt;/sub&gt;</translation>
    </message>
    <message>
        <source>output code</source>
        <translation>código de salida</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::SensitivityView</name>
    <message>
        <source>Analyze</source>
        <translation>Analizar</translation>
    </message>
    <message>
        <source>Width of the quantized layers (weights symmetric per channel, outputs asymmetric per tensor). At 8 bits the MLP hardly moves; 4 bits shows which layers are fragile.</source>
        <translation>Número de bits de las capas cuantizadas (pesos simétricos por canal, salidas asimétricas por tensor). A 8 bits el MLP apenas se mueve; a 4 bits se ve qué capas son frágiles.</translation>
    </message>
    <message>
        <source>propagated</source>
        <translation>propagado</translation>
    </message>
    <message>
        <source>isolated</source>
        <translation>aislado</translation>
    </message>
    <message>
        <source>propagated: quantize only this layer and measure the SQNR of the model OUTPUT — its error carried through the rest of the network.
isolated: feed the layer the exact fp32 input and measure the SQNR of its own output — the layer&apos;s error alone.</source>
        <translation>propagado: cuantiza solo esta capa y mide la SQNR de la SALIDA del modelo, es decir, su error arrastrado por el resto de la red.
aislado: da a la capa su entrada fp32 exacta y mide la SQNR de su propia salida, es decir, el error de la capa por sí sola.</translation>
    </message>
    <message>
        <source>Test images used for the measurements (fewer = faster).</source>
        <translation>Imágenes de prueba usadas para las medidas (menos = más rápido).</translation>
    </message>
    <message>
        <source> pts</source>
        <translation> ptos.</translation>
    </message>
    <message>
        <source>Accuracy drop you accept, in percentage points. The mixed-precision search keeps layers in fp32, one at a time, until the drop fits. 0 = no proposal.</source>
        <translation>Caída de exactitud que aceptas, en puntos porcentuales. La búsqueda de precisión mixta deja capas en fp32, una a una, hasta que la caída cabe en el presupuesto. 0 = sin propuesta.</translation>
    </message>
    <message>
        <source>Run the analysis in the background (the model is run 2 × layers + 1 times).</source>
        <translation>Ejecuta el análisis en segundo plano (el modelo se ejecuta 2 × capas + 1 veces).</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>Bits</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Imágenes</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Presupuesto</translation>
    </message>
    <message>
        <source>One bar per Linear/Conv2d layer, most damaging at the top. SQNR (signal-to-quantization-noise ratio, dB): lower means more damage; each bit is worth about 6 dB.
&apos;alone&apos;: accuracy cost of quantizing only this layer. &apos;kept fp32&apos;: what leaving only this layer in fp32 gives back compared with quantizing all.</source>
        <translation>Una barra por capa Linear/Conv2d, con la más dañina arriba. SQNR (relación señal/ruido de cuantización, dB): cuanto más baja, más daño; cada bit vale unos 6 dB.
«sola»: lo que cuesta en exactitud cuantizar solo esta capa. «en fp32»: lo que se recupera al dejar solo esta capa en fp32, frente a cuantizarlas todas.</translation>
    </message>
    <message>
        <source>Greedy mixed precision: start with every layer at the chosen width and keep the layer that buys back the most accuracy per byte in fp32 until the validation accuracy (1000 training images the model never calibrated on) is within the budget; then checked on the test images.</source>
        <translation>Precisión mixta voraz: empieza con todas las capas al número de bits elegido y va dejando en fp32 la capa que más exactitud recupera por byte, hasta que la exactitud de validación (1000 imágenes de entrenamiento que el modelo nunca usó para calibrar) queda dentro del presupuesto; después se comprueba con las imágenes de prueba.</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Analyze&lt;/b&gt; to rank the layers.</source>
        <translation>Pulsa &lt;b&gt;Analizar&lt;/b&gt; para ordenar las capas.</translation>
    </message>
    <message>
        <source>Open a model first (Model layers view).</source>
        <translation>Abre primero un modelo (vista Capas del modelo).</translation>
    </message>
    <message>
        <source>int%1 on %2 test images: fp32 accuracy %3, all layers quantized %4 (%5 points).</source>
        <translation>int%1 con %2 imágenes de prueba: exactitud fp32 %3, con todas las capas cuantizadas %4 (%5 puntos).</translation>
    </message>
    <message>
        <source>isolated SQNR</source>
        <translation>SQNR aislada</translation>
    </message>
    <message>
        <source>propagated SQNR</source>
        <translation>SQNR propagada</translation>
    </message>
    <message>
        <source>%1  (alone %2 pts, kept fp32 %3 pts)</source>
        <translation>%1  (sola %2 ptos., en fp32 %3 ptos.)</translation>
    </message>
    <message>
        <source>SQNR (dB) — shorter bar = more damage</source>
        <translation>SQNR (dB) — barra más corta = más daño</translation>
    </message>
    <message>
        <source>Most damaging first (%1)</source>
        <translation>Las más dañinas primero (%1)</translation>
    </message>
    <message>
        <source>No mixed-precision proposal (budget 0).</source>
        <translation>Sin propuesta de precisión mixta (presupuesto 0).</translation>
    </message>
    <message>
        <source>&lt;b&gt;Mixed precision within %1 points:&lt;/b&gt; %2 — test accuracy %3 (all int%4: %5, fp32: %6), size %7 vs %8 in fp32%9</source>
        <translation>&lt;b&gt;Precisión mixta dentro de %1 puntos:&lt;/b&gt; %2 — exactitud de prueba %3 (todo int%4: %5, fp32: %6), tamaño %7 frente a %8 en fp32%9</translation>
    </message>
    <message>
        <source> — the budget is NOT met on the test images</source>
        <translation> — NO se cumple el presupuesto con las imágenes de prueba</translation>
    </message>
    <message>
        <source>Apply proposal</source>
        <translation>Aplicar propuesta</translation>
    </message>
    <message>
        <source>Clear plan</source>
        <translation>Quitar plan</translation>
    </message>
    <message>
        <source>Make this proposal the model&apos;s precision plan: the layer table shows each layer&apos;s width, and the plan is evaluated on all 10000 test images. Simulated with fake quantization (float math on rounded values): the int8 engine runs uniform int8 only.</source>
        <translation>Convierte esta propuesta en el plan de precisión del modelo: la tabla de capas muestra el número de bits de cada capa y el plan se evalúa con las 10000 imágenes de prueba. Se calcula con cuantización simulada (cálculos en coma flotante sobre valores redondeados): el motor int8 solo ejecuta int8 uniforme.</translation>
    </message>
    <message>
        <source>Forget the applied plan (back to the uniform int8 model).</source>
        <translation>Descarta el plan aplicado (se vuelve al modelo int8 uniforme).</translation>
    </message>
    <message>
        <source>Accuracy of the applied plan on the whole test set, and its size: quantized weights take bits/8 bytes each plus one 4-byte scale per output channel; fp32 layers 4 bytes per parameter.</source>
        <translation>Exactitud del plan aplicado en todo el conjunto de prueba, y su tamaño: cada peso cuantizado ocupa bits/8 bytes, más una escala de 4 bytes por canal de salida; las capas fp32 ocupan 4 bytes por parámetro.</translation>
    </message>
    <message>
        <source>No plan applied: the model runs as uniform int8.</source>
        <translation>No hay ningún plan aplicado: el modelo se ejecuta en int8 uniforme.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Applied:&lt;/b&gt; %1 — evaluating on the test set…</source>
        <translation>&lt;b&gt;Aplicado:&lt;/b&gt; %1 — evaluando con el conjunto de prueba…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Applied:&lt;/b&gt; %1 — accuracy %2 on %3 test images (fp32 %4, %5 pts); size %6 vs %7 in fp32 (%8× smaller). &lt;i&gt;Simulated with fake quantization: the int8 engine runs uniform int8 only.&lt;/i&gt;</source>
        <translation>&lt;b&gt;Aplicado:&lt;/b&gt; %1 — exactitud %2 con %3 imágenes de prueba (fp32 %4, %5 ptos.); tamaño %6 frente a %7 en fp32 (%8 veces más pequeño). &lt;i&gt;Calculado con cuantización simulada: el motor int8 solo ejecuta int8 uniforme.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Quantization recipe: %1</source>
        <translation>Receta de cuantización: %1</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::Session</name>
    <message>
        <source>built-in sample: Laplace weights with 4 outliers</source>
        <translation>muestra incorporada: pesos de Laplace con 4 valores atípicos</translation>
    </message>
    <message>
        <source>Calibration: %1</source>
        <translation>Calibración: %1</translation>
    </message>
    <message>
        <source>Clipping range</source>
        <translation>Rango de recorte</translation>
    </message>
    <message>
        <source>Automatic range</source>
        <translation>Rango automático</translation>
    </message>
    <message>
        <source>not enough memory to quantize this tensor (%1 values)</source>
        <translation>no hay memoria suficiente para cuantizar este tensor (%1 valores)</translation>
    </message>
    <message>
        <source>this tensor is read from its file block by block, which allows per-tensor quantization only</source>
        <translation>este tensor se lee de su archivo bloque a bloque, lo que solo permite cuantizar por tensor</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::TensorLoader</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>QuantLab</source>
        <translation>QuantLab</translation>
    </message>
    <message>
        <source>%1: not enough memory to load this tensor</source>
        <translation>%1: no hay memoria suficiente para cargar este tensor</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <source>Generator: %1</source>
        <translation>Generador: %1</translation>
    </message>
    <message>
        <source>Generator: not enough memory for this shape</source>
        <translation>Generador: no hay memoria suficiente para esta forma</translation>
    </message>
    <message>
        <source>generated: %1 %2, seed %3</source>
        <translation>generado: %1 %2, semilla %3</translation>
    </message>
    <message>
        <source>Generating tensor…</source>
        <translation>Generando tensor…</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::TensorPickerDialog</name>
    <message>
        <source>Choose a tensor — %1</source>
        <translation>Elegir un tensor — %1</translation>
    </message>
    <message>
        <source>%1 holds %2 tensors. Pick the one to quantize (double-click opens it):</source>
        <translation>%1 contiene %2 tensores. Elige el que quieres cuantizar (con doble clic se abre):</translation>
    </message>
    <message>
        <source>Filter by name (e.g. weight, conv1, attn)</source>
        <translation>Filtrar por nombre (p. ej. weight, conv1, attn)</translation>
    </message>
    <message>
        <source>Type part of a tensor name to narrow the list.</source>
        <translation>Escribe parte del nombre de un tensor para acotar la lista.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::UpdatingBadge</name>
    <message>
        <source>Updating for %1…</source>
        <translation>Actualizando para %1…</translation>
    </message>
    <message>
        <source>Updating for %1… %2%</source>
        <translation>Actualizando para %1… %2%</translation>
    </message>
</context>
<context>
    <name>quantlab::ui::Workspaces</name>
    <message>
        <source>%1 workspace (%2)</source>
        <translation>Espacio de trabajo %1 (%2)</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>Lección</translation>
    </message>
</context>
</TS>
